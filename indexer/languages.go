package indexer

// languages are the document languages Archivio names: the European
// Union's 24 and others it has an analyzer for or staff may meet, each with
// its name in English, in Italian and in itself. Staff may write any of
// them in front matter (language: Greek, greco, ελληνικά), readers in a
// filter (lingua:greco), and the pages show the name in their language.
var languages = []struct{ code, en, it, self string }{
	{"bg", "Bulgarian", "bulgaro", "български"},
	{"cs", "Czech", "ceco", "čeština"},
	{"da", "Danish", "danese", "dansk"},
	{"de", "German", "tedesco", "Deutsch"},
	{"el", "Greek", "greco", "ελληνικά"},
	{"en", "English", "inglese", "English"},
	{"es", "Spanish", "spagnolo", "español"},
	{"et", "Estonian", "estone", "eesti"},
	{"fi", "Finnish", "finlandese", "suomi"},
	{"fr", "French", "francese", "français"},
	{"ga", "Irish", "irlandese", "Gaeilge"},
	{"hr", "Croatian", "croato", "hrvatski"},
	{"hu", "Hungarian", "ungherese", "magyar"},
	{"it", "Italian", "italiano", "italiano"},
	{"lt", "Lithuanian", "lituano", "lietuvių"},
	{"lv", "Latvian", "lettone", "latviešu"},
	{"mt", "Maltese", "maltese", "Malti"},
	{"nl", "Dutch", "olandese", "Nederlands"},
	{"pl", "Polish", "polacco", "polski"},
	{"pt", "Portuguese", "portoghese", "português"},
	{"ro", "Romanian", "rumeno", "română"},
	{"sk", "Slovak", "slovacco", "slovenčina"},
	{"sl", "Slovenian", "sloveno", "slovenščina"},
	{"sv", "Swedish", "svedese", "svenska"},
	{"ar", "Arabic", "arabo", "العربية"},
	{"ja", "Japanese", "giapponese", "日本語"},
	{"ko", "Korean", "coreano", "한국어"},
	{"no", "Norwegian", "norvegese", "norsk"},
	{"ru", "Russian", "russo", "русский"},
	{"tr", "Turkish", "turco", "Türkçe"},
	{"uk", "Ukrainian", "ucraino", "українська"},
	{"zh", "Chinese", "cinese", "中文"},
}

// languageNames maps every name of a language in languages, as facetKey
// has it (lower-cased, accents folded), to its code.
var languageNames = func() map[string]string {
	m := map[string]string{}
	for _, l := range languages {
		for _, n := range []string{l.en, l.it, l.self} {
			m[facetKey(n)] = l.code
		}
	}
	return m
}()

// LanguageName names the document language code in the interface language
// ui ("en" or "it"), or returns "" when Archivio has no name for it.
func LanguageName(ui, code string) string {
	for _, l := range languages {
		if l.code == code {
			if ui == "it" {
				return l.it
			}
			return l.en
		}
	}
	return ""
}
