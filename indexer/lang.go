package indexer

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Language detection is a small vote, cheap enough to run on every document
// and sure enough on a title of three words:
//   - the script settles Greek (el) and Cyrillic (bg);
//   - each word found in a language's list of frequent words votes for it,
//     which decides almost every sentence;
//   - words in no list vote, more weakly, by their endings ("-zione",
//     "-tion") and letters with diacritics ("ß", "ł", "ș"), which decide
//     titles made of nouns.
// The tables are plain data: a language is added by adding its lines.

// langWords are frequent function words per language (ISO 639-1).
var langWords = map[string]string{
	"en": "the of and to in is that for it with as was on be by this are not from at or have an which but has had were their they will would been its there all can more if also our we should these those than what about into such who do does how i you he she",
	"it": "il lo la gli le di del della dello dei degli delle da dal dalla dai nel nella nei nelle sul sulla sui un una uno è e ed che non per con come anche più sono questo questa questi queste quello quella al alla ai alle ma se si ci ne tra fra essere stato stata sia hanno ha ho siamo molto tutti tutte ogni nostro nostra loro cui quale quali dove quando perché però già l' dell' all' nell' sull' un' dall'",
	"fr": "le la les de des du un une et est en que qui dans pour pas sur au aux avec ce cette ces il elle nous vous ils sont ont été être par plus mais ou où son sa ses leur leurs comme aussi tout tous très entre sans sous l' d' qu' n' c' s' j' m'",
	"de": "der die das den dem des und ist nicht ein eine einen einem einer zu mit von für auf im in dass sich auch es sie wir ich werden wird wurde sind hat haben bei aus nach über wie oder aber noch nur um durch diese dieser dieses kann können zum zur vom",
	"es": "el la los las de del y que en un una es por con para no se su sus al lo como más pero sobre este esta estos estas entre también ha han muy sin ser está están sido desde hasta porque cuando nos nuestro nuestra hay todo todos",
	"pt": "o a os as de do da dos das e que em um uma é não para com por se na no nas nos ao aos mais como mas foi são pela pelo seu sua seus suas entre também muito já está estão ser sobre isso este esta há quando nosso nossa",
	"nl": "de het een en van in is dat op te voor met zijn niet die er aan als ook door bij om maar nog wordt worden werd naar over dan uit zij wij hun deze dit kan moet heeft hebben geen meer veel",
	"ro": "și în de la cu pe care este sunt a al ale ai din pentru nu se o un mai că ca prin sau dar acest această acestea fost fi au după între despre foarte dintre noi vă",
	"pl": "i w z na do że się nie jest to jak o a od po przez dla oraz lub ale czy są być było tak jego jej ich który która które tym tego także już może bardzo",
	"cs": "a v na je se že s z do o k to jsou není jako ale by pro by být bylo jeho její jejich které který která také tak podle při nebo již může velmi mezi",
	"sk": "a v na je sa že s z do o k to sú nie ako ale by pre byť bolo jeho jej ich ktoré ktorý ktorá tiež tak podľa pri alebo už môže veľmi medzi",
	"sl": "in v na je se da z za so ki pa bi ne iz po tudi od kot ali pri do ter to smo ste bo lahko zelo med",
	"hr": "i u na je se da s za su koji pa bi ne iz po također od kao ili pri do te to smo ste će može vrlo između koja koje",
	"hu": "a az és hogy nem is egy ez azt meg de van volt csak már mint még el kell vagy ha ezt sem pedig minden ami aki után között nagyon lesz",
	"fi": "ja on ei se että oli ovat myös kuin mutta tai joka jotka ole olla tämä nämä sen hän me te he kanssa mukaan sekä jo vain ovat voi pitää",
	"et": "ja on ei see et oli ka kui aga või mis kes nii selle need oma ning veel pärast peab võib väga ole olla",
	"sv": "och att det i som en på är av för med till den har de inte om ett var jag men eller från vi så kan sina också skulle finns detta dessa mycket",
	"da": "og at det i som en på er af for med til den har de ikke om et var jeg men eller fra vi så kan også skulle findes dette disse meget være blev",
	"lt": "ir kad yra į su iš ne tai bet kaip arba dėl jo jos jų buvo būti taip pat tik apie tarp labai mes",
	"lv": "un ir ka uz ar no par lai kā arī bet vai tas tā to šo ir bija būt ļoti mēs jūs starp pēc",
	"mt": "il u li ta' fil tal għal minn jew huwa hija dan din dawn ma kien kienet ukoll bħala biex f' għandu",
	"ga": "an na agus is ar le go de i a ag don sa ina mar níl tá bhí ach nó seo sin é í iad",
	"bg": "и на в за да се е от с не че по са като това при към или но които който която",
	"el": "και το η ο να του της των τα σε με για από που στο στην είναι δεν οι τη τον θα ως",
}

// langEndings are word endings typical of a language, used for words in no list.
var langEndings = map[string]string{
	"en": "tion tions ing ings ness ment ments ity ities ship ance ence ous ful less ally ised ized ise ize ght th ck sh ies ed ly ive al er ers",
	"it": "zione zioni sione sioni ione ioni a o i ità mente ato ata ati ate are ere ire ale ali ico ica ici iche enza enze ente enti oso osa ismo ista ologia ese etto ino ina one oni ia io gli zza tà ù",
	"fr": "tion ité ment eux euse aux ais ait ée ées és ique iques eur eurs oir ance ence ant",
	"de": "ung ungen keit heit lich isch schaft chen sch tz ck en er",
	"es": "ción ciones o a dad idad mente ado ada ados adas ivo iva ía os as ero era",
	"pt": "ção ções o a dade mente ado ada ados adas ivo iva ão ões inho inha",
	"nl": "heid lijk ing ingen tje ijk aan oor eer",
	"ro": "ție ții ului ilor ește ească are ări",
	"pl": "ość ski ska nie ych ymi ami owy owa ów ach",
	"cs": "ost ní ých ého ové ání",
	"sk": "osť ých ého ové anie",
	"hu": "ság ség ban ben nak nek ból ből val vel",
	"fi": "inen isen ssa ssä sta stä lla llä kin",
	"sv": "ning het ligt arna erna",
	"da": "hed lige ene",
	"lt": "imas ams ų ės",
	"lv": "ība ām ās",
	"sl": "ost ski ja",
	"hr": "ost ski ja",
}

// langLetters are letters found in few languages.
var langLetters = map[rune]string{
	'ß': "de", 'ñ': "es", 'ã': "pt", 'õ': "pt et", 'ç': "fr pt", 'å': "sv da", 'ø': "da", 'æ': "da",
	'ő': "hu", 'ű': "hu", 'ł': "pl", 'ś': "pl", 'ź': "pl", 'ż': "pl mt", 'ć': "pl hr", 'ń': "pl",
	'ř': "cs", 'ů': "cs", 'ě': "cs", 'ľ': "sk", 'ĺ': "sk", 'ŕ': "sk", 'ô': "sk fr", 'ș': "ro", 'ț': "ro", 'ş': "ro",
	'ţ': "ro", 'ă': "ro", 'â': "ro fr pt", 'î': "ro fr", 'ā': "lv", 'ē': "lv", 'ī': "lv", 'ū': "lv lt", 'ķ': "lv",
	'ļ': "lv", 'ņ': "lv", 'ģ': "lv", 'ą': "pl lt", 'ę': "pl lt", 'ė': "lt", 'ų': "lt", 'į': "lt", 'ġ': "mt",
	'ħ': "mt", 'ċ': "mt", 'ä': "de fi sv et sk", 'ö': "de fi sv hu et", 'ü': "de hu et", 'đ': "hr",
	'è': "it fr", 'ì': "it", 'ò': "it", 'ù': "it fr", 'à': "it fr pt", 'é': "fr it es pt hu cs sk ga", 'ê': "fr pt",
	'ë': "fr nl", 'ï': "fr nl", 'á': "es pt hu cs sk ga", 'í': "es pt hu cs sk ga", 'ó': "es pt hu pl ga",
	'ú': "es pt hu cs ga", 'č': "cs sk sl hr lt lv", 'š': "cs sk sl hr lt lv et", 'ž': "cs sk sl hr lt lv et",
}

// langTables is the lookup form of the lists above, built once: each word,
// ending and letter maps to the set of languages (a bit per langOrder index).
type langTables struct {
	words   map[string]uint32
	endings map[string]uint32
	letters map[rune]uint32
	maxEnd  int
}

var langTab = buildLangTables()

func buildLangTables() langTables {
	t := langTables{words: map[string]uint32{}, endings: map[string]uint32{}, letters: map[rune]uint32{}}
	for l, list := range langWords {
		for _, w := range strings.Fields(list) {
			t.words[w] |= 1 << langIndex(l)
		}
	}
	for l, list := range langEndings {
		for _, e := range strings.Fields(list) {
			t.endings[e] |= 1 << langIndex(l)
			t.maxEnd = max(t.maxEnd, len(e))
		}
	}
	for r, ls := range langLetters {
		for _, l := range strings.Fields(ls) {
			t.letters[r] |= 1 << langIndex(l)
		}
	}
	return t
}

// detectLanguage returns the ISO 639-1 code of the language text is written
// in, "en" when nothing tells. Only the first 4 KB are read: enough to vote.
func detectLanguage(text string) string {
	if len(text) > 4096 {
		text = text[:4096]
	}
	var score [len(langOrder)]float64
	vote := func(set uint32, w float64) {
		for i := range langOrder {
			if set&(1<<i) != 0 {
				score[i] += w
			}
		}
	}
	greek, cyrillic, letters := 0, 0, 0
	for _, r := range text {
		switch {
		case unicode.Is(unicode.Greek, r):
			greek++
		case unicode.Is(unicode.Cyrillic, r):
			cyrillic++
		}
		if unicode.IsLetter(r) {
			letters++
			vote(langTab.letters[unicode.ToLower(r)], 0.5)
		}
	}
	switch {
	case letters > 0 && greek*2 > letters:
		return "el"
	case letters > 0 && cyrillic*2 > letters:
		return "bg"
	}
	var buf [64]byte
	eachWord(text, buf[:0], func(w []byte) {
		if set, ok := langTab.words[string(w)]; ok {
			vote(set, 2)
			return
		}
		if len(w) < 4 {
			return
		}
		// Vote for every language having an ending of w; the longest ending wins per language.
		var seen uint32
		for n := min(langTab.maxEnd, len(w)-2); n >= 1; n-- {
			if set, ok := langTab.endings[string(w[len(w)-n:])]; ok {
				vote(set&^seen, 1)
				seen |= set
			}
		}
	})
	best := 0
	for i := range score {
		if score[i] > score[best] {
			best = i
		}
	}
	return langOrder[best]
}

// langOrder lists the languages; on a tie the first wins, so English and
// Italian, the archive's main languages, come first.
var langOrder = [...]string{"en", "it", "fr", "de", "es", "pt", "nl", "ro", "pl", "cs", "sk", "sl", "hr", "hu", "fi", "et", "sv", "da", "lt", "lv", "mt", "ga", "bg", "el"}

// langIndex returns l's place in langOrder. The tables are built at start-up,
// so a code missing from langOrder stops the program there.
func langIndex(l string) int {
	i := slices.Index(langOrder[:], l)
	if i < 0 {
		panic("language tables: " + l + " is not in langOrder")
	}
	return i
}

// eachWord calls f with each lower-case word of text, reusing buf. An elided
// article keeps its apostrophe ("l'impegno" gives "l'" and "impegno"), as the
// lists hold it. Map lookups with string(w) do not allocate.
func eachWord(text string, buf []byte, f func(w []byte)) {
	w := buf[:0]
	for _, r := range text {
		switch {
		case unicode.IsLetter(r):
			w = utf8.AppendRune(w, unicode.ToLower(r))
		case r == '\'' || r == '’':
			if len(w) > 0 {
				f(append(w, '\''))
			}
			w = w[:0]
		default:
			if len(w) > 0 {
				f(w)
			}
			w = w[:0]
		}
	}
	if len(w) > 0 {
		f(w)
	}
}
