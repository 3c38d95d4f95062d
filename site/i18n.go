package site

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/archivio/archivio/indexer"
	"golang.org/x/text/language"
)

// uiLangs are the languages of the user interface, in the order the switch shows them.
var uiLangs = []struct{ Code, Name string }{{"en", "English"}, {"it", "Italiano"}}

// uiCookie remembers the language chosen with the switch.
const uiCookie = "ui"

// messages holds the user-interface strings, one map per language. Both
// maps have the same keys (TestMessagesSameKeys).
var messages = map[string]map[string]string{
	"en": {
		"site.name":    "Archivio",
		"site.tagline": "Open-government document archive",
		"skip":         "Skip to main content",
		"nav.label":    "Main",
		"nav.home":     "Home",
		"nav.search":   "Search",
		"nav.commit":   "Commitments",
		"nav.about":    "About",
		"lang.label":   "Language",
		"footer.text":  "Archivio: opinions, factsheets and open-government commitments, searchable and citable.",
		"footer.api":   "JSON API",

		"search.label":                           "Search the archive",
		"search.button":                          "Search",
		"search.help":                            `Words, "exact phrases", -exclude, prefix*, typo~, kind:opinion`,
		"search.title":                           "Search",
		"search.results":                         "%d results",
		"search.result1":                         "1 result",
		"search.for":                             "for “%s”",
		"search.none":                            "No documents match.",
		"search.nonehelp":                        "Check the spelling, use fewer or more general words, remove a filter, or search for a reference such as ECON-VII/038.",
		"search.relaxed":                         "No document contains every word; these documents contain some of them.",
		"search.error":                           "This search cannot be run",
		"search.filters":                         "Filters",
		"search.allvalues":                       "All %d",
		"search.active":                          "Active filters",
		"search.remove":                          "Remove filter %s: %s",
		"search.clear":                           "Clear all filters",
		"search.sort":                            "Sort by",
		"search.relevance":                       "relevance",
		"search.date":                            "date",
		"search.para":                            "¶ %d",
		"search.feed":                            "Atom feed of this search",
		"search.downloads":                       "Download",
		"search.pastend":                         "This page is past the last one.",
		"search.lastpage":                        "Go to the last page",
		"search.downloadscut":                    "CSV and JSON hold the first %d results; add page=2 to their address for the next ones.",
		"search.csv":                             "CSV",
		"search.json":                            "JSON",
		"search.from":                            "From",
		"search.to":                              "To",
		"search.dates":                           "Dates",
		"search.datehint":                        "YYYY, YYYY-MM or YYYY-MM-DD",
		"search.apply":                           "Apply",
		"search.page":                            "Page %d",
		"search.pages":                           "Pages",
		"search.prev":                            "Previous",
		"search.next":                            "Next",
		"search.showing":                         "Results %d–%d of %d",
		"search.all":                             "All documents",
		"home.title":                             "Find, read and cite",
		"home.intro":                             "Search CoR opinions, factsheets and Open Government Partnership commitments. Every paragraph can be cited and linked.",
		"home.counts":                            "In the archive",
		"home.recent":                            "Most recent documents",
		"home.browse":                            "Browse all",
		"kind.opinion":                           "Opinion",
		"kind.factsheet":                         "Factsheet",
		"kind.commitment":                        "Commitment",
		"kind.page":                              "Page",
		"kinds.opinion":                          "Opinions",
		"kinds.factsheet":                        "Factsheets",
		"kinds.commitment":                       "Commitments",
		"kinds.page":                             "Pages",
		"facet.kind":                             "Kind",
		"facet.language":                         "Language",
		"facet.year":                             "Year",
		"facet.commission":                       "Commission",
		"facet.rapporteur":                       "Rapporteur",
		"facet.group":                            "Political group",
		"facet.country":                          "Country or region",
		"facet.region":                           "World region",
		"facet.starred":                          "Starred",
		"facet.status":                           "Status",
		"facet.theme":                            "Theme",
		"facet.plan":                             "Action plan",
		"facet.institution":                      "Lead institution",
		"facet.tag":                              "Tag",
		"doc.details":                            "Details",
		"doc.reference":                          "Reference",
		"doc.references":                         "Also known as",
		"doc.kind":                               "Kind",
		"doc.date":                               "Date",
		"date.adopted in commission":             "Adopted in commission",
		"date.adopted in plenary":                "Adopted in plenary",
		"date.published in the official journal": "Published in the Official Journal",
		"date.published":                         "Published",
		"field.procedure":                        "Procedure",
		"field.assigned to":                      "Assigned to",
		"field.initiative":                       "Initiative",
		"field.initiative type":                  "Initiative type",
		"field.legislature":                      "Legislature",
		"field.eurovoc concepts":                 "EuroVoc concepts",
		"field.reference document(s)":            "Reference document(s)",
		"date.start":                             "Start",
		"date.end":                               "End",
		"doc.language":                           "Language",
		"doc.rapporteur":                         "Rapporteur",
		"doc.commission":                         "Commission",
		"doc.session":                            "Session",
		"doc.status":                             "Status",
		"doc.source":                             "Source file",
		"doc.published":                          "Published at",
		"doc.tags":                               "Tags",
		"doc.legal":                              "Legal basis",
		"doc.procedural":                         "Procedural basis",
		"doc.procedure":                          "Procedure",
		"doc.keypoints":                          "Key points",
		"doc.summary":                            "Summary",
		"doc.notes":                              "Notes",
		"doc.text":                               "Text",
		"doc.timeline":                           "Timeline",
		"doc.related":                            "Related documents",
		"doc.relatedmore":                        "All %d documents with %s",
		"doc.previous":                           "Previous opinions",
		"doc.notincorpus":                        "not in the archive",
		"doc.cite":                               "Cite",
		"doc.citation":                           "Citation",
		"doc.permalink":                          "Permalink",
		"doc.paraword":                           "paragraph",
		"doc.citeop":                             "CoR opinion %s, para. %d",
		"doc.citedoc":                            "%s, para. %d",
		"doc.commitment":                         "Commitment",
		"doc.copy":                               "Copy",
		"doc.json":                               "This document as JSON",
		"com.plan":                               "Action plan",
		"com.planid":                             "Action plan id",
		"com.country":                            "Country or region",
		"com.region":                             "World region",
		"com.level":                              "Level",
		"com.lead":                               "Lead institutions",
		"com.support":                            "Supporting institutions",
		"com.themes":                             "Themes",
		"com.start":                              "Start",
		"com.end":                                "End",
		"com.status":                             "Status",
		"com.assessment":                         "IRM assessment",
		"com.specificity":                        "Specificity",
		"com.verifiable":                         "Verifiable",
		"com.relevance":                          "Relevant to",
		"com.impact":                             "Potential impact",
		"com.midterm":                            "Completion at mid-term",
		"com.endterm":                            "Completion at end of term",
		"com.starred":                            "Starred",
		"com.diog":                               "Did it open government?",
		"com.potres":                             "Potential for results",
		"com.early":                              "Early results",
		"commit.title":                           "Commitments",
		"commit.intro":                           "Open Government Partnership commitments in the archive. Filter by action plan, country or region, region of the world, lead institution, theme, status and the IRM's star.",
		"commit.none":                            "There are no commitments in the archive yet.",
		"commit.nomatch":                         "No commitment matches these filters.",
		"commit.nomatchq":                        "No commitment matches this search and these filters.",
		"commit.search":                          "Search the commitments",
		"commit.chart":                           "Status of commitments by action plan",
		"commit.chartdesc":                       "Stacked bars: for each action plan, the number of commitments in each status.",
		"commit.chartsome":                       "The %d action plans with the most commitments, of %d.",
		"commit.chartnoplan":                     "Commitments without an action plan, not in the chart: %d.",
		"commit.statusnote":                      "A commitment's status is its completion as the IRM assessed it at the end of the action plan's term, or at mid-term when the end-of-term report gives none.",
		"commit.table":                           "The chart as a table",
		"commit.total":                           "Total",
		"commit.nostatus":                        "No status",
		"commit.list":                            "Commitments",
		"about.title":                            "About the archive",
		"about.intro":                            "Archivio indexes every file in the corpus folder. Staff add, replace or remove files there; the archive notices and updates itself.",
		"about.formats":                          "Formats you can add",
		"about.f.text":                           "Plain text (.txt): the first line is the title.",
		"about.f.md":                             "Markdown (.md), optionally starting with YAML front matter between two --- lines.",
		"about.f.html":                           "Web pages (.html, .htm): the text is kept, menus and scripts are dropped.",
		"about.f.pdf":                            "PDF (.pdf) with a text layer; scanned images without text cannot be searched.",
		"about.f.docx":                           "Word documents (.docx).",
		"about.f.data":                           "Exports of commitments as CSV (.csv), JSON (.json) or JSON Lines (.jsonl): one document per record.",
		"about.sidecar":                          "A PDF or DOCX file can have a sidecar file with the same name plus .yaml (report.pdf.yaml) holding the same fields as front matter.",
		"about.meta":                             "Metadata that overrides what the archive infers",
		"about.metaintro":                        "Any field given in front matter or a sidecar wins over what the parser found in the text:",
		"about.example":                          "Example",
		"about.problems":                         "Files that could not be archived",
		"about.noproblems":                       "Every file in the corpus has been archived.",
		"about.file":                             "File",
		"about.error":                            "Problem",
		"about.kept":                             "an earlier version is still served",
		"about.stats":                            "%d documents in the archive.",
		"error.title":                            "Error",
		"error.notfound":                         "Page not found",
		"error.notfoundhelp":                     "There is no page at this address. Search the archive or go to the home page.",
		"error.bad":                              "Bad request",
		"error.internal":                         "Something went wrong on our side. Please try again later.",
		"error.method":                           "Method not allowed",
		"status.not started":                     "Not started",
		"status.limited":                         "Limited",
		"status.substantial":                     "Substantial",
		"status.complete":                        "Complete",
		"status.completed":                       "Completed",
		"status.withdrawn":                       "Withdrawn",
		"status.unclear":                         "Unclear",
		"status.adopted":                         "Adopted",
	},
	"it": {
		"site.name":    "Archivio",
		"site.tagline": "Archivio di documenti sul governo aperto",
		"skip":         "Vai al contenuto principale",
		"nav.label":    "Principale",
		"nav.home":     "Home",
		"nav.search":   "Cerca",
		"nav.commit":   "Impegni",
		"nav.about":    "Informazioni",
		"lang.label":   "Lingua",
		"footer.text":  "Archivio: pareri, schede e impegni di governo aperto, da cercare e citare.",
		"footer.api":   "API JSON",

		"search.label":                           "Cerca nell'archivio",
		"search.button":                          "Cerca",
		"search.help":                            `Parole, "frasi esatte", -escludi, prefisso*, refuso~, tipo:parere`,
		"search.title":                           "Ricerca",
		"search.results":                         "%d risultati",
		"search.result1":                         "1 risultato",
		"search.for":                             "per «%s»",
		"search.none":                            "Nessun documento corrisponde.",
		"search.nonehelp":                        "Controlla l'ortografia, usa meno parole o parole più generali, togli un filtro, oppure cerca un riferimento come ECON-VII/038.",
		"search.relaxed":                         "Nessun documento contiene tutte le parole; questi ne contengono alcune.",
		"search.error":                           "Questa ricerca non può essere eseguita",
		"search.filters":                         "Filtri",
		"search.allvalues":                       "Tutti e %d",
		"search.active":                          "Filtri attivi",
		"search.remove":                          "Togli il filtro %s: %s",
		"search.clear":                           "Togli tutti i filtri",
		"search.sort":                            "Ordina per",
		"search.relevance":                       "pertinenza",
		"search.date":                            "data",
		"search.para":                            "¶ %d",
		"search.feed":                            "Feed Atom di questa ricerca",
		"search.downloads":                       "Scarica",
		"search.pastend":                         "Questa pagina è oltre l'ultima.",
		"search.lastpage":                        "Vai all'ultima pagina",
		"search.downloadscut":                    "CSV e JSON contengono i primi %d risultati; aggiungere page=2 al loro indirizzo per i successivi.",
		"search.csv":                             "CSV",
		"search.json":                            "JSON",
		"search.from":                            "Dal",
		"search.to":                              "Al",
		"search.dates":                           "Date",
		"search.datehint":                        "AAAA, AAAA-MM o AAAA-MM-GG",
		"search.apply":                           "Applica",
		"search.page":                            "Pagina %d",
		"search.pages":                           "Pagine",
		"search.prev":                            "Precedente",
		"search.next":                            "Successiva",
		"search.showing":                         "Risultati %d–%d di %d",
		"search.all":                             "Tutti i documenti",
		"home.title":                             "Trova, leggi e cita",
		"home.intro":                             "Cerca tra i pareri del CdR, le schede informative e gli impegni dell'Open Government Partnership. Ogni paragrafo si può citare e collegare.",
		"home.counts":                            "Nell'archivio",
		"home.recent":                            "Documenti più recenti",
		"home.browse":                            "Sfoglia tutto",
		"kind.opinion":                           "Parere",
		"kind.factsheet":                         "Scheda",
		"kind.commitment":                        "Impegno",
		"kind.page":                              "Pagina",
		"kinds.opinion":                          "Pareri",
		"kinds.factsheet":                        "Schede",
		"kinds.commitment":                       "Impegni",
		"kinds.page":                             "Pagine",
		"facet.kind":                             "Tipo",
		"facet.language":                         "Lingua",
		"facet.year":                             "Anno",
		"facet.commission":                       "Commissione",
		"facet.rapporteur":                       "Relatore",
		"facet.group":                            "Gruppo politico",
		"facet.country":                          "Paese o regione",
		"facet.region":                           "Regione del mondo",
		"facet.starred":                          "Con stella",
		"facet.status":                           "Stato",
		"facet.theme":                            "Tema",
		"facet.plan":                             "Piano d'azione",
		"facet.institution":                      "Istituzione capofila",
		"facet.tag":                              "Etichetta",
		"doc.details":                            "Dettagli",
		"doc.reference":                          "Riferimento",
		"doc.references":                         "Altri riferimenti",
		"doc.kind":                               "Tipo",
		"doc.date":                               "Data",
		"date.adopted in commission":             "Adottato in commissione",
		"date.adopted in plenary":                "Adottato in sessione plenaria",
		"date.published in the official journal": "Pubblicato nella Gazzetta ufficiale",
		"date.published":                         "Pubblicato",
		"field.procedure":                        "Procedura",
		"field.assigned to":                      "Assegnato a",
		"field.initiative":                       "Iniziativa",
		"field.initiative type":                  "Tipo di iniziativa",
		"field.legislature":                      "Legislatura",
		"field.eurovoc concepts":                 "Concetti EuroVoc",
		"field.reference document(s)":            "Documenti di riferimento",
		"date.start":                             "Inizio",
		"date.end":                               "Fine",
		"doc.language":                           "Lingua",
		"doc.rapporteur":                         "Relatore",
		"doc.commission":                         "Commissione",
		"doc.session":                            "Sessione",
		"doc.status":                             "Stato",
		"doc.source":                             "File di origine",
		"doc.published":                          "Pubblicato su",
		"doc.tags":                               "Etichette",
		"doc.legal":                              "Base giuridica",
		"doc.procedural":                         "Base procedurale",
		"doc.procedure":                          "Procedura",
		"doc.keypoints":                          "Punti chiave",
		"doc.summary":                            "Sintesi",
		"doc.notes":                              "Note",
		"doc.text":                               "Testo",
		"doc.timeline":                           "Cronologia",
		"doc.related":                            "Documenti collegati",
		"doc.relatedmore":                        "Tutti i %d documenti con %s",
		"doc.previous":                           "Pareri precedenti",
		"doc.notincorpus":                        "non presente nell'archivio",
		"doc.cite":                               "Cita",
		"doc.citation":                           "Citazione",
		"doc.permalink":                          "Link permanente",
		"doc.paraword":                           "paragrafo",
		"doc.citeop":                             "Parere del CdR %s, punto %d",
		"doc.citedoc":                            "%s, punto %d",
		"doc.commitment":                         "Impegno",
		"doc.copy":                               "Copia",
		"doc.json":                               "Questo documento in JSON",
		"com.plan":                               "Piano d'azione",
		"com.planid":                             "Codice del piano",
		"com.country":                            "Paese o regione",
		"com.region":                             "Regione del mondo",
		"com.level":                              "Livello",
		"com.lead":                               "Istituzioni capofila",
		"com.support":                            "Istituzioni di supporto",
		"com.themes":                             "Temi",
		"com.start":                              "Inizio",
		"com.end":                                "Fine",
		"com.status":                             "Stato",
		"com.assessment":                         "Valutazione IRM",
		"com.specificity":                        "Specificità",
		"com.verifiable":                         "Verificabile",
		"com.relevance":                          "Pertinente a",
		"com.impact":                             "Impatto potenziale",
		"com.midterm":                            "Completamento a metà mandato",
		"com.endterm":                            "Completamento a fine mandato",
		"com.starred":                            "Con stella",
		"com.diog":                               "Ha aperto il governo?",
		"com.potres":                             "Potenziale di risultati",
		"com.early":                              "Primi risultati",
		"commit.title":                           "Impegni",
		"commit.intro":                           "Gli impegni dell'Open Government Partnership presenti nell'archivio. Filtra per piano d'azione, paese o regione, regione del mondo, istituzione capofila, tema, stato e stella dell'IRM.",
		"commit.none":                            "Nell'archivio non ci sono ancora impegni.",
		"commit.nomatch":                         "Nessun impegno corrisponde a questi filtri.",
		"commit.nomatchq":                        "Nessun impegno corrisponde a questa ricerca e a questi filtri.",
		"commit.search":                          "Cerca negli impegni",
		"commit.chart":                           "Stato degli impegni per piano d'azione",
		"commit.chartdesc":                       "Barre in pila: per ogni piano d'azione, il numero di impegni in ciascuno stato.",
		"commit.chartsome":                       "I %d piani d'azione con più impegni, su %d.",
		"commit.chartnoplan":                     "Impegni senza piano d'azione, non nel grafico: %d.",
		"commit.statusnote":                      "Lo stato di un impegno è il suo completamento come valutato dall'IRM alla fine del piano d'azione, o a metà percorso quando la relazione finale non lo indica.",
		"commit.table":                           "Il grafico in forma di tabella",
		"commit.total":                           "Totale",
		"commit.nostatus":                        "Senza stato",
		"commit.list":                            "Impegni",
		"about.title":                            "Informazioni sull'archivio",
		"about.intro":                            "Archivio indicizza ogni file della cartella corpus. Il personale aggiunge, sostituisce o toglie i file; l'archivio se ne accorge e si aggiorna.",
		"about.formats":                          "Formati che si possono aggiungere",
		"about.f.text":                           "Testo semplice (.txt): la prima riga è il titolo.",
		"about.f.md":                             "Markdown (.md), con un'intestazione YAML facoltativa tra due righe ---.",
		"about.f.html":                           "Pagine web (.html, .htm): si tiene il testo, si scartano menu e script.",
		"about.f.pdf":                            "PDF (.pdf) con testo; le scansioni senza testo non si possono cercare.",
		"about.f.docx":                           "Documenti Word (.docx).",
		"about.f.data":                           "Esportazioni di impegni in CSV (.csv), JSON (.json) o JSON Lines (.jsonl): un documento per record.",
		"about.sidecar":                          "Un file PDF o DOCX può avere accanto un file con lo stesso nome più .yaml (relazione.pdf.yaml) con gli stessi campi dell'intestazione.",
		"about.meta":                             "Metadati che prevalgono su quelli dedotti",
		"about.metaintro":                        "Ogni campo dato nell'intestazione o nel file .yaml prevale su quanto trovato nel testo:",
		"about.example":                          "Esempio",
		"about.problems":                         "File che non è stato possibile archiviare",
		"about.noproblems":                       "Tutti i file del corpus sono stati archiviati.",
		"about.file":                             "File",
		"about.error":                            "Problema",
		"about.kept":                             "resta disponibile una versione precedente",
		"about.stats":                            "%d documenti nell'archivio.",
		"error.title":                            "Errore",
		"error.notfound":                         "Pagina non trovata",
		"error.notfoundhelp":                     "A questo indirizzo non c'è nessuna pagina. Cerca nell'archivio o torna alla home.",
		"error.bad":                              "Richiesta non valida",
		"error.internal":                         "Si è verificato un errore da parte nostra. Riprova più tardi.",
		"error.method":                           "Metodo non consentito",
		"status.not started":                     "Non avviato",
		"status.limited":                         "Limitato",
		"status.substantial":                     "Sostanziale",
		"status.complete":                        "Completato",
		"status.completed":                       "Completato",
		"status.withdrawn":                       "Ritirato",
		"status.unclear":                         "Non chiaro",
		"status.adopted":                         "Adottato",
	},
}

var monthNames = map[string][12]string{
	"en": {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
	"it": {"gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre", "ottobre", "novembre", "dicembre"},
}

// ui is the user-interface language of one request, with its strings.
type ui struct {
	Lang string
	msgs map[string]string
}

func newUI(lang string) ui {
	m, ok := messages[lang]
	if !ok {
		lang, m = "en", messages["en"]
	}
	return ui{Lang: lang, msgs: m}
}

// T returns the string for key, formatted with args when there are any.
// A missing key shows as itself, so it is seen and fixed, not hidden.
func (u ui) T(key string, args ...any) string {
	m, ok := u.msgs[key]
	if !ok {
		return key
	}
	if len(args) > 0 {
		return u.sprintf(m, args...)
	}
	return m
}

// sprintf is fmt.Sprintf with whole numbers written as Num writes them
// (the messages give them as %d).
func (u ui) sprintf(format string, args ...any) string {
	args = slices.Clone(args)
	grouped := false
	for i, a := range args {
		if s, ok := u.num(a); ok {
			args[i], grouped = s, true
		}
	}
	if grouped {
		format = strings.ReplaceAll(format, "%d", "%s")
	}
	return fmt.Sprintf(format, args...)
}

// Num writes a whole number with the language's thousands separator:
// 12,345 in English, 12.345 in Italian.
func (u ui) Num(n any) string {
	if s, ok := u.num(n); ok {
		return s
	}
	return fmt.Sprint(n)
}

func (u ui) num(n any) (string, bool) {
	var v uint64
	neg := false
	switch x := n.(type) {
	case int:
		neg, v = x < 0, uint64(max(x, -x))
	case int64:
		neg, v = x < 0, uint64(max(x, -x))
	case uint64:
		v = x
	case uint:
		v = uint64(x)
	default:
		return "", false
	}
	sep := ","
	if u.Lang == "it" {
		sep = "."
	}
	digits := strconv.FormatUint(v, 10)
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, d := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(d)
	}
	return b.String(), true
}

// Kind is the name of a document kind; Kinds its plural.
func (u ui) Kind(k string) string  { return u.orSelf("kind." + k) }
func (u ui) Kinds(k string) string { return u.orSelf("kinds." + k) }

// Facet is the label of a facet.
func (u ui) Facet(name string) string { return u.orSelf("facet." + name) }

// FacetValue is the label of one value of a facet.
func (u ui) FacetValue(facet, v string) string {
	switch facet {
	case "kind":
		return u.Kind(v)
	case "language":
		return langName(u.Lang, v)
	case "status":
		return u.Status(v)
	case "country", "plan", "group", "region":
		return indexer.ValueLabel(u.Lang, facet, v)
	case "starred":
		return u.IRM(v)
	}
	return v
}

// DateLabel names a dated event of a document ("adopted in plenary"); labels
// the UI does not know are shown as they are, capitalised.
func (u ui) DateLabel(label string) string {
	if m, ok := u.msgs["date."+strings.ToLower(strings.TrimSpace(label))]; ok {
		return m
	}
	r, n := utf8.DecodeRuneInString(label)
	return string(unicode.ToUpper(r)) + label[n:]
}

// FieldLabel names a row of a procedure table: the labels Archivio gives
// the fields of records and Official Journal opinions are in the page's
// language; labels read from a source are shown as the source has them.
func (u ui) FieldLabel(label string) string {
	if m, ok := u.msgs["field."+strings.ToLower(label)]; ok {
		return m
	}
	return label
}

// Status names a document's status or a commitment's completion level;
// values the UI does not know are shown as they are.
func (u ui) Status(v string) string {
	if m, ok := u.msgs["status."+strings.ToLower(strings.TrimSpace(v))]; ok {
		return m
	}
	return v
}

// IRM names a value of the Independent Reporting Mechanism's assessment or
// of a commitment's record (specificity, impact, "did it open government",
// the OGP values, region, level) in the page's language; values it does not
// know are shown as they are.
func (u ui) IRM(v string) string { return u.IRMOf("", v) }

// IRMOf is IRM for a value of field, whose word may agree with the field's
// name: Italian "Nessuna" specificity, but "Nessuno" impact.
func (u ui) IRMOf(field, v string) string {
	v = strings.TrimSpace(v)
	if m, ok := irmTerms[u.Lang][field+"."+strings.ToLower(v)]; ok && field != "" {
		return m
	}
	if m, ok := irmTerms[u.Lang][strings.ToLower(v)]; ok {
		return m
	}
	return v
}

// Group names a political group as the page's language abbreviates it:
// EPP is PPE in Italian.
func (u ui) Group(g string) string { return indexer.ValueLabel(u.Lang, "group", g) }

// Plan names an action plan in the page's language: "Italia, piano d'azione
// 2016-2018" on an Italian page.
func (u ui) Plan(v string) string { return indexer.ValueLabel(u.Lang, "plan", v) }

// PlanShort names an action plan by its country and years, as the chart's
// labels do, which must fit a phone's width: "Italia 2016-2018".
func (u ui) PlanShort(v string) string { return indexer.ShortPlanLabel(u.Lang, v) }

// irmTerms are the IRM's and OGP's fixed values, by language, as the OGP
// export spells them (lower-cased). English needs none.
var irmTerms = map[string]map[string]string{
	"it": {
		"none": "Nessuna", "low": "Bassa", "medium": "Media", "high": "Alta", // specificity
		"yes": "Sì", "no": "No",
		"minor": "Minore", "moderate": "Moderato", "transformative": "Trasformativo", // potential impact
		"worsens": "Peggiorato", "did not change": "Nessun cambiamento", "marginal": "Marginale", "major": "Rilevante",
		"outstanding": "Eccezionale", "no early results to report yet": "Ancora nessun risultato", "not applicable": "Non applicabile",
		"access to information": "Accesso all'informazione", "civic participation": "Partecipazione civica",
		"public accountability": "Responsabilità pubblica", "technology and innovation": "Tecnologia e innovazione",
		"national": "Nazionale", "local": "Locale", "other": "Altro",
		"impact.none": "Nessuno",
		"modest":      "Modesto", "results.substantial": "Sostanziale", "unclear": "Non chiaro", // potential for results
		"no notable results": "Nessun risultato notevole", "significant": "Significativo", // early results
	},
}

func (u ui) orSelf(key string) string {
	if m, ok := u.msgs[key]; ok {
		return m
	}
	_, rest, _ := strings.Cut(key, ".")
	return rest
}

// Date formats an ISO date (YYYY-MM-DD, YYYY-MM or YYYY) in words; other
// text is returned as it is.
func (u ui) Date(iso string) string {
	for _, layout := range []string{"2006-01-02", "2006-01", "2006"} {
		t, err := time.Parse(layout, iso)
		if err != nil {
			continue
		}
		month := monthNames[u.Lang][t.Month()-1]
		switch layout {
		case "2006-01-02":
			return strconv.Itoa(t.Day()) + " " + month + " " + strconv.Itoa(t.Year())
		case "2006-01":
			return month + " " + strconv.Itoa(t.Year())
		}
		return iso
	}
	return iso
}

// Language names a document language in the UI language.
func (u ui) Language(code string) string { return langName(u.Lang, code) }

// uiMatcher matches Accept-Language against the interface languages.
var uiMatcher = language.NewMatcher([]language.Tag{language.English, language.Italian})

func langName(uiLang, code string) string {
	tag, err := language.Parse(code)
	if err != nil {
		return code
	}
	base, _ := tag.Base()
	if n := indexer.LanguageName(uiLang, base.String()); n != "" {
		return n
	}
	return code
}

// uiLanguage chooses the interface language of a request: the ui parameter
// (which the switch sets, and which is remembered in a cookie), else the
// cookie, else the browser's Accept-Language, else English.
func uiLanguage(w http.ResponseWriter, r *http.Request) string {
	if v := r.URL.Query().Get("ui"); isUILang(v) {
		http.SetCookie(w, &http.Cookie{Name: uiCookie, Value: v, Path: "/", MaxAge: 365 * 24 * 3600, HttpOnly: true, SameSite: http.SameSiteLaxMode})
		return v
	}
	if c, err := r.Cookie(uiCookie); err == nil && isUILang(c.Value) {
		return c.Value
	}
	tag, _ := language.MatchStrings(uiMatcher, r.Header.Get("Accept-Language"))
	if base, _ := tag.Base(); base.String() == "it" {
		return "it"
	}
	return "en"
}

func isUILang(v string) bool {
	_, ok := messages[v]
	return ok
}

// langLink is one entry of the language switch.
type langLink struct {
	Code, Name, URL string
	Current         bool
}

// langSwitch returns links to the current page in each UI language.
func langSwitch(r *http.Request, current string) []langLink {
	var out []langLink
	for _, l := range uiLangs {
		v := r.URL.Query()
		v.Set("ui", l.Code)
		u := url.URL{Path: r.URL.Path, RawQuery: v.Encode()}
		out = append(out, langLink{Code: l.Code, Name: l.Name, URL: u.String(), Current: l.Code == current})
	}
	return out
}

// errorsIT says in Italian the messages of the errors a user can cause
// (bad parameters, queries over a limit), by their format: the indexer and
// parseSearch give them in English.
var errorsIT = map[string]string{
	"query is %d characters long; the limit is %d":                           "la ricerca è lunga %d caratteri; il limite è %d",
	"%q: after ~ give a number of edits, 1 or 2":                             "%q: dopo ~ indicare un numero di modifiche, 1 o 2",
	"%q: at most %d edits are allowed":                                       "%q: sono ammesse al massimo %d modifiche",
	"%q: give at least %d letters before ~":                                  "%q: indicare almeno %d lettere prima di ~",
	"%q: give at least %d letters before *":                                  "%q: indicare almeno %d lettere prima di *",
	"%q: * is allowed only at the end of a word":                             "%q: * è ammesso solo alla fine di una parola",
	"query has %d terms; the limit is %d":                                    "la ricerca ha %d termini; il limite è %d",
	"query has %d words with * or ~; the limit is %d":                        "la ricerca ha %d parole con * o ~; il limite è %d",
	"size %d is too large; the limit is %d":                                  "la dimensione %d è troppo grande; il limite è %d",
	"page %d is too deep; results stop at %d hits":                           "la pagina %d è troppo lontana; i risultati si fermano a %d",
	"query took longer than %s; make it more specific":                       "la ricerca ha richiesto più di %s; renderla più specifica",
	"query matches too many different words; use longer prefixes or fewer ~": "la ricerca corrisponde a troppe parole diverse; usare prefissi più lunghi o meno ~",
	"query has %d filter values; the limit is %d":                            "la ricerca ha %d valori di filtro; il limite è %d",
	"unknown filter %q":                                                      "filtro sconosciuto %q",
	"date %q is not a date; use YYYY-MM-DD, YYYY-MM or YYYY":                 "%q non è una data; usare AAAA-MM-GG, AAAA-MM o AAAA",
	"the date range ends (%s) before it starts (%s)":                         "l'intervallo di date finisce (%s) prima di cominciare (%s)",
	"sort must be relevance or date":                                         "l'ordinamento (sort) deve essere relevance o date",
	"more must name a facet, not %q":                                         "more deve indicare un filtro, non %q",
	"%q is given more than once":                                             "%q è indicato più di una volta",
	"unknown parameter %q":                                                   "parametro sconosciuto %q",
	"method not allowed":                                                     "metodo non consentito",
	"%q is not a filter: did you mean %s:?":                                  "%q non è un filtro: forse intendevi %s:?",
	"%s must be a whole number of at least %d":                               "%s deve essere un numero intero di almeno %d",
	"use /api/search to search; /api/documents only browses":                 "usare /api/search per cercare; /api/documents elenca soltanto",
	"state must be archived, failed, ignored or duplicate":                   "state deve essere archived, failed, ignored o duplicate",
	"%s: too common to search for (such words are not indexed); add a word":  "%s: parole troppo comuni per cercarle (non sono indicizzate); aggiungere una parola",
}

// Error says the message of err in the page's language, when err is one a
// user caused and its message has a translation; otherwise as it is.
func (u ui) Error(err error) string {
	var format string
	var args []any
	var qe *indexer.QueryError
	var he *httpError
	switch {
	case errors.As(err, &qe):
		format, args = qe.Format, qe.Args
	case errors.As(err, &he):
		format, args = he.Format, he.Args
	}
	if u.Lang == "it" && format != "" {
		if tr, ok := errorsIT[format]; ok {
			return u.sprintf(tr, args...)
		}
	}
	return err.Error()
}
