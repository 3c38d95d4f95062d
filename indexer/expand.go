package indexer

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
)

// The text fields hold analysed terms: lower-cased, without elisions, and
// stemmed ("intelligence" is indexed as "intellig", "l'Unione" as "union").
// A word typed with * or ~ is not a term, and taken as typed it misses them
// ("intelligen*" would find nothing). An expansion is what such a word
// stands for in a field analysed by a given analyzer.
type expansion struct {
	prefixes []string // terms starting with one of these match
	terms    []string // and these terms
	fuzzy    string   // for word~N: terms within N edits of this one
}

// stemCut is how many letters the stemmer of the text fields lang (see
// textLang) takes off a word beyond what a prefix leaves out: "intelligence"
// is stemmed to "intellig", two letters short of "intelligen*"; the Romance
// languages' stemmers take off whole suffixes, "amministrazione" is
// "amministr", five letters short of "amministrazion*".
func stemCut(lang string) int {
	switch lang {
	case "it_snowball", "fr", "es", "pt", "ro":
		return 6
	}
	return 3
}

// minCutLen is the fewest letters a prefix cut short for stemming keeps.
const minCutLen = 4

// stemTails lists, for the stemmers of the text fields (see textLang), the
// endings they take off words, each followed by a space: a word's stem is
// a prefix of the word cut short by one of them ("partecipazione" is
// "partecip" + "azione"). A prefix cut short is the stem of a longer word
// only if what was cut begins one of them: "partecip*" is not cut to
// "parte", as no ending begins with "cip", and finds "partecipare" but not
// "parte". An ending that is the beginning of another is left out.
//
// The lists were made by stemming the 47,916 Italian and 27,897 English
// words of 8,000 Europarl documents per language (the benchmark's corpus,
// see cmd/archivio-bench) and keeping what each stemmer cut off;
// TestStemTailsCover checks them against the words of the test corpus. A
// stemmer without a list (French, Spanish ...) may cut any letters.
var stemTails = map[string]string{
	"en": " " +
		"abilities ability abled ableness ables abling ably alisms alities ality alization ally als ances " +
		"ancies ancy anted ants ated ately ateness ates ating ationals ations atively atives ativity ators " +
		"bed bing ded ding ds eability eable eably eal eated eating eds eements eered eering eers efulness " +
		"eing eitis eity elis ely ements ences encies ency eness entativeness entatives ented enting ently " +
		"ents eously erative ered ering erness erred ers es fed fing fulness fuls ged gings ibilities ibility " +
		"ibles ibly ically icals icated icates icating ications icative iced icing icities icity ics ies ings " +
		"ional ioned ioning ions isms ities itis ity ively iveness ives ivities ivity ization ized izers izes " +
		"lable lably lance lants lating lations led lence lency lently lers les libility lible lic ling lity " +
		"lous ls ly med mented menting ments mings ned nessed nesses nessing nings ors ously ousness ped " +
		"pings red ring s ted tings y ",
	"it_snowball": " " +
		"abile abilita aendola aica aico aire amente amenti amento ammo andoci andogli andola andole andoli " +
		"andolo andomi andone andosene andosi andovene andovi ano ante anti anza anze arcela arcele arcelo " +
		"arcene arci are arglieli arla arle arli arlo armelo armene armi arne arono arsene arsi arti arvela " +
		"arvene arvi assero assimo ata ate ativamente ative ativi ativo atore atori atrice atrici auta avamo " +
		"avano avate avi avo azione azioni eabilita eamente eamenti eamento eandone eandosi eano earci eare " +
		"earla earle earli earlo earmi earne earsi earvi easse eata eate eati eato eavamo eavano eazione " +
		"eeranno eerebbe eerei eero eir eismo eista eiste eisti eita emente emmo enda ende endi endoci " +
		"endogli endola endole endoli endolo endomi endone endosene endosi endovene endovi erai eranno ercela " +
		"erceli ercene erci erebbero erei eremmo eremo ereste erete ergliene erla erle erli erlo ermene ermi " +
		"erne erono ersene ersi erti erveli ervi essero ete evamo evano evate evi evo ha heite hendola " +
		"heranno herebbero herei heremmo heremo herete hermi hero hiamento hiamo hiandoci hiano hiarci hiare " +
		"hiarlo hiarmi hiarsi hiasse hiata hiate hiati hiato hiavano hicamente hiche hici hico hiera " +
		"hierebbero hieremmo hieremo hiero himento hio hira hiremo hirsi hisce hiscono hista histi hita hiti " +
		"hito hiva hivi hivo ho iabile iabilita iaire iamente iamenti iamento iammo iamo iandoci iandogli " +
		"iandola iandole iandoli iandolo iandomi iandone iandosi iandovelo iandovi iano iante ianti ianza " +
		"ianze iarci iare iarglielo iarla iarle iarli iarlo iarmi iarne iarono iarsene iarsi iarvelo iarvene " +
		"iarvi iassero iassimo iata iate iativa iative iativi iativo iatore iatori iatrice iatrici iavano " +
		"iavo iazione iazioni ibile ibili icamente icativa icative icativi icativo icatore icatori icazione " +
		"icazioni ice iche ichi icita ico iendola iendosi ieranno ierci ierebbero ierei ieremmo ieremo ierete " +
		"ierla ierle ierli ierlo iermi ierne iero iersi iessero iete ievano ievi ievo ii imenti imento immo " +
		"ioevo iono iosamente iose iosi ioso irai iranno ircelo ircene irci irebbero irei iremmo iremo ireste " +
		"irete irglielo irla irle irli irlo irmi irne irono irsene irsi irvi iscano isce iscono ismi ismo " +
		"issero ista iste isti ita ite iti ito iuta iute iuti iuto ivamente ivamo ivano ivate ive ivita ivo " +
		"mente oar oir ono osamente ose osi oso sione sioni uta ute uti uto zione zioni ",
}

// mayCut reports whether a stemmer of the text fields name can take tail,
// and what follows it, off the end of a word (see stemTails).
func mayCut(name, tail string) bool {
	tails, ok := stemTails[name]
	return !ok || strings.Contains(tails, " "+tail)
}

// expand returns what clause c (a prefix or a fuzzy word) stands for in a
// field analysed by an (nil: lower-cased only), the analyzer named name.
//   - word*: terms starting with the word lower-cased, or with the word
//     analysed ("l'Unione*": "union"); and the terms that are the word
//     less its last one to stemCut(name) letters, keeping minCutLen, where
//     what is left out begins an ending the stemmer takes off (mayCut):
//     where the stem of a longer word can end. Those can also be the stems
//     of shorter words ("digital*" matches "digit"); a prefix search
//     rather finds too much than nothing.
//   - word~N: terms within N edits of the word analysed
//     ("intelligence~": "intellig"), or lower-cased if the analyzer drops it.
func expand(c clause, an analysis.Analyzer, name string) expansion {
	low := strings.ToLower(c.text)
	analysed := low
	if an != nil {
		if toks := an.Analyze([]byte(c.text)); len(toks) == 1 {
			analysed = string(toks[0].Term)
		}
	}
	if !c.prefix {
		return expansion{fuzzy: analysed}
	}
	e := expansion{prefixes: []string{low}}
	if folded := string(fold([]byte(low))); folded != low {
		// The fields of the languages Archivio folds hold "citta", not "città".
		e.prefixes = append(e.prefixes, folded)
	}
	if !e.covers(analysed) && utf8.RuneCountInString(analysed) >= minPrefixLen {
		e.prefixes = append(e.prefixes, analysed)
	}
	short := low
	for range stemCut(name) {
		_, size := utf8.DecodeLastRuneInString(short)
		short = short[:len(short)-size]
		if utf8.RuneCountInString(short) < minCutLen {
			break
		}
		if !e.covers(short) && mayCut(name, string(fold([]byte(low[len(short):])))) {
			e.terms = append(e.terms, short)
		}
	}
	return e
}

// covers reports whether term starts with one of e's prefixes.
func (e expansion) covers(term string) bool {
	for _, p := range e.prefixes {
		if strings.HasPrefix(term, p) {
			return true
		}
	}
	return false
}

// expandQuery is a prefix or fuzzy clause searched in one text field, as
// expand says for the field's analyzer.
type expandQuery struct {
	c     clause
	field string
	boost float64
}

func (q expandQuery) Searcher(ctx context.Context, r index.IndexReader, m mapping.IndexMapping, opts search.SearcherOptions) (search.Searcher, error) {
	name := m.AnalyzerNameForPath(q.field)
	e := expand(q.c, m.AnalyzerNamed(name), name)
	var alts []query.Query
	add := func(sq interface {
		query.Query
		SetField(string)
		SetBoost(float64)
	}) {
		sq.SetField(q.field)
		sq.SetBoost(q.boost)
		alts = append(alts, sq)
	}
	if q.c.prefix {
		for _, p := range e.prefixes {
			add(bleve.NewPrefixQuery(p))
		}
		for _, t := range e.terms {
			add(bleve.NewTermQuery(t))
		}
	} else {
		fq := bleve.NewFuzzyQuery(e.fuzzy)
		fq.SetFuzziness(q.c.fuzzy)
		add(fq)
	}
	if len(alts) == 1 {
		return alts[0].Searcher(ctx, r, m, opts)
	}
	return bleve.NewDisjunctionQuery(alts...).Searcher(ctx, r, m, opts)
}
