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
// is stemmed to "intellig", two letters short of "intelligen*", but
// "international" to "intern", six short of "internationa*"; the Romance
// languages' stemmers take off whole suffixes, "amministrazione" is
// "amministr", five letters short of "amministrazion*". Where the endings
// a stemmer takes off are listed (stemTails), only cuts that begin one are
// made, and six letters are safe; elsewhere three. Bleve's Spanish stemmer
// is a light one, which takes off two letters at most ("-es", "-o").
func stemCut(lang string) int {
	switch lang {
	case "en", "it_snowball", "fr", "pt", "ro":
		return 6
	case "es":
		return 2
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
// The lists were made by stemming the 102,398 Italian and 57,392 English
// words of 50,000 Europarl documents per language (the benchmark's corpus
// of 100,000, see cmd/archivio-bench) and keeping what each stemmer cut off;
// TestStemTailsCover checks them against the words of the test corpus. A
// stemmer without a list (French, Spanish ...) may cut any letters.
var stemTails = map[string]string{
	"en": " " +
		"abilities ability abled ableness ables abling ably alisms alities alitis ality alizations alized " +
		"alizers alizes alizing ally alness als ances ancies ancy anted antness ants ated ately ateness ates " +
		"ating ationals ations atively ativeness atives ativity ators bed bing ded dings ds eability eable " +
		"eably ealed ealing eances eated eates eating eation eative eds eements eered eering eers efulness " +
		"eically eing eism eitis eity eive elis ely emented ements ences encies ency eness entativeness " +
		"entatives entativity ented enting ently entness ents eously eousness erative ered erful erings " +
		"erness erred ers es fed fing fulness fuls ged gings ibilities ibility ibles ibly icality ically " +
		"icals icated icates icating ications icative icators iced icing icities icitis icity ics ies ings " +
		"ionals ioned ionings ions isms itiative ities itis itys ively iveness ives ivities ivitis ivity " +
		"izations ized izers izes izing lability lable lably lance lants lated lates lating lations led " +
		"lement lence lency lently lered lering lers les libility lible libly lic lings lism litis lity " +
		"lization lized lizers lizes lizing lously ls ly med mented menting ments mings ned nessed nesses " +
		"nessing nings ors ously ousness ped pings red rings s ted tings ving y ",
	"it_snowball": " " +
		"aamento aar abile abilita aendoci aendola aendole aendoli aendolo aendosi aerei aete aeva aicamente " +
		"aiche aici aico aire airle aismo aite aiva aivo amente amenti amento ammo andocene andoci andogli " +
		"andola andole andoli andolo andomene andomi andone andosene andosi andovene andovi ano ante anti " +
		"anza anze arcela arcele arceli arcelo arcene arci are argliela argliele arglieli arglielo argliene " +
		"arla arle arli arlo armela armelo armene armi arne arono arsene arsi arti arvela arveli arvelo " +
		"arvene arvi assero assimo ata ate ativamente ative ativi ativo atore atori atrice atrici auta auti " +
		"avamo avano avate avi avo azione azioni eabile eabilita eamente eamenti eamento eammo eandoci " +
		"eandole eandoli eandolo eandone eandosi eano earci eare earla earle earli earlo earmi earne earono " +
		"earsi earti earvi eassero eassi eata eate eati eato eavamo eavano eavo eazione eeranno eerebbe eerei " +
		"eeremmo eeremo eero eicamente eicita eir eismo eista eiste eisti eita emente emmo enda ende endi " +
		"endocelo endocene endoci endoglielo endola endole endoli endolo endomi endone endosene endosi endoti " +
		"endovene endovi eosi erai eranno ercela ercele erceli ercelo ercene erci erebbero erei eremmo eremo " +
		"ereste eresti erete ergliela ergliele erglielo ergliene erla erle erli erlo ermele ermelo ermene " +
		"ermi erne erono ersene ersi ertela erti ervela ervele erveli ervelo ervene ervi essero ete euta euti " +
		"evamo evano evate evi evo har heamente heismo heista heite hendola hendosi herai heranno herebbero " +
		"herei heremmo heremo herete hermi hero hevi hiabile hiamente hiamenti hiamento hiamo hiandoci " +
		"hiandosene hiandosi hiano hiante hianti hiarcene hiarci hiare hiarlo hiarmi hiarsene hiarsi hiarvi " +
		"hiasse hiata hiate hiati hiatore hiatori hiatrici hiavamo hiavano hiavi hiavo hicamente hiche hici " +
		"hico hieranno hierebbero hierei hieremmo hieremo hiero himenti himento hio hiranno hirci hirebbero " +
		"hiremo hirla hirlo hirne hirsi hiscano hisce hisci hiscono hismi hismo hista histi hita hite hiti " +
		"hito hiva hivi hivo ho iabile iabilita iaire iaiva iamente iamenti iamento iammo iamo iandoci " +
		"iandogli iandola iandole iandoli iandolo iandomi iandone iandosi iandovelo iandovi iano iante ianti " +
		"ianza ianze iarcela iarcele iarci iare iargliele iarglielo iarla iarle iarli iarlo iarmela iarmi " +
		"iarne iarono iarsene iarsi iarti iarvelo iarvene iarvi iassero iassimo iata iate iativa iative " +
		"iativi iativo iatore iatori iatrice iatrici iavamo iavano iavi iavo iazione iazioni ibile ibili " +
		"icamente icativa icative icativi icativo icatore icatori icazione icazioni ice iche ichi icita ico " +
		"iemente ienda iende iendola iendole iendoli iendolo iendone iendosi ieranno ierci ierebbero ierei " +
		"ieremmo ieremo iereste ierete iergli ierla ierle ierli ierlo iermi ierne iero iersi iervi iessero " +
		"iete ievamo ievano ievi ievo iismo iita imente imenti imento immo ioevo iomente iono iosamente iose " +
		"iosi ioso irai iranno ircele ircelo ircene irci irebbero irei iremmo iremo ireste irete irglieli " +
		"irglielo irgliene irla irle irli irlo irmelo irmi irne irono irsene irsi irti irvi iscano isce isci " +
		"iscono ismi ismo issero ista iste isti ita ite iti ito iuta iute iuti iuto ivamente ivamo ivano " +
		"ivate ive ivita ivo mente oar oati oica oiche oico oire ono osamente ose osi oso sione sioni uta ute " +
		"uti uto zione zioni ",
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
