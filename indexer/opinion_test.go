package indexer

import (
	"reflect"
	"strings"
	"testing"
)

// opinionWant is what an opinion fixture must yield; zero fields are not checked.
type opinionWant struct {
	file, lang, reference, title, session, date string
	references, referenceDocs                   []string
	rapporteur                                  Rapporteur
	commission, legalBasis, proceduralBasis     string
	dates                                       []Dated
	previous                                    []PreviousOpinion
	paragraphs                                  int
	keyPoints                                   int
	sections                                    map[int]string // paragraph number -> section
	starts, ends, contains                      map[int]string // paragraph number -> text start / end / middle
	notes                                       []Note
}

func TestParseOpinion(t *testing.T) {
	tests := []opinionWant{
		{
			file:            seedName(t, "004"),
			lang:            "en",
			reference:       "ECON-VII/038",
			title:           "Challenges and opportunities of artificial intelligence in the public sector: defining the role of regional and local authorities",
			session:         "163rd plenary session, 20-21 November 2024",
			date:            "2024-11-21",
			rapporteur:      Rapporteur{Name: "Alberto Cirio", Country: "IT", Group: "EPP", Role: "President of the Piedmont Region"},
			commission:      "ECON",
			legalBasis:      "Article 307(4) TFEU",
			proceduralBasis: "Own-initiative opinion (Rule 41(b)(ii) of the RP)",
			dates:           []Dated{{"adopted in commission", "2024-10-24"}, {"adopted in plenary", "2024-11-21"}},
			previous: []PreviousOpinion{
				{"Digital Cohesion", "OJ C 498, 30/12/2022, p. 39"},
				{"European Approach to Artificial Intelligence - Artificial Intelligence Act (revised opinion)", "OJ C 97, 28/2/2022, p. 60"},
			},
			paragraphs: 54,
			keyPoints:  4,
			sections: map[int]string{
				1: "Policy recommendations", 16: "Policy recommendations", 17: "The role of LRAs in the adoption of AI",
				21: "The role of LRAs in the adoption of AI", 22: "Transformation of the relationship between citizens and the public sector",
				33: "Harnessing the full potential of AI in the public sector and managing AI-related risks in an informed way",
				54: "EU follow-up initiatives",
			},
			contains: map[int]string{52: "with a particular focus on the development of large European language models;"},
			starts:   map[int]string{1: "points out that the preamble", 22: "recognises that AI has the potential", 54: "suggests creating a European conformity"},
			ends: map[int]string{
				6:  "governments on implementing the Act and a substantial, comprehensive programme that is continuously updated taking into account future technological progress and that increases citizens' awareness, education and training would risk leaving Europe's approach to AI incomplete;",
				22: "providing faster and more accurate responses to their requests, including in real time, and facilitate access to information and services, including during peak hours, for example by offering automated services making communication more accessible for all;",
				52: "adapting digital initiatives to their specific needs;",
				54: "ensuring reliable and unambiguous standards across the EU.",
			},
		},
		{
			file:       "cor-it/opinion-it.md",
			lang:       "it",
			reference:  "ECON-VII/038",
			title:      "Sfide e opportunità dell'intelligenza artificiale nel settore pubblico: definire il ruolo degli enti regionali e locali",
			session:    "163ª sessione plenaria, 20-21 novembre 2024",
			date:       "2024-11-21",
			rapporteur: Rapporteur{Name: "Alberto Cirio", Country: "IT", Group: "EPP", Role: "Presidente della Regione Piemonte"},
			commission: "ECON", legalBasis: "Articolo 307, paragrafo 4, del TFUE",
			proceduralBasis: "Parere d'iniziativa (articolo 41, lettera b), punto ii), del regolamento interno)",
			dates:           []Dated{{"adopted in commission", "2024-10-24"}, {"adopted in plenary", "2024-11-21"}},
			previous: []PreviousOpinion{
				{"Coesione digitale", "GU C 498 del 30.12.2022, pag. 39"},
				{"Approccio europeo all'intelligenza artificiale - Legge sull'intelligenza artificiale (parere riveduto)", "GU C 97 del 28.2.2022, pag. 60"},
			},
			paragraphs: 5,
			keyPoints:  2,
			sections:   map[int]string{1: "Raccomandazioni politiche", 3: "Raccomandazioni politiche", 4: "Il ruolo degli enti locali e regionali nell'adozione dell'IA"},
			ends:       map[int]string{3: "possono fungere da catalizzatori dell'innovazione promuovendo lo sviluppo responsabile dell'IA;"},
		},
		{
			file:       "cor-opinions/52025AR2449.json",
			lang:       "en",
			reference:  "C/2026/2605",
			references: []string{"C/2026/2605", "http://data.europa.eu/eli/C/2026/2605/oj"}, referenceDocs: []string{"COM(2025) 270"},
			title:      "EU Startup and Scaleup Strategy",
			date:       "2026-03-05",
			rapporteur: Rapporteur{Name: "Jozef Viskupič", Country: "SK", Group: "Renew Europe", Role: "President of Trnava region"},
			dates:      []Dated{{"adopted in plenary", "2026-03-05"}, {"published in the Official Journal", "2026-05-20"}},
			paragraphs: 16,
			sections:   map[int]string{1: "Policy recommendations", 16: "Policy recommendations"},
			starts:     map[int]string{1: "notes that the EU Startup and Scaleup Strategy represents a key step", 16: "concludes that the EU Startup and Scaleup Strategy can become"},
			ends:       map[int]string{1: "through support for startups and scaleups;", 16: "it is a prerequisite for Europe’s innovation sovereignty and inclusive growth."},
		},
		{
			file:       "cor-opinions/oj-it-synthetic.txt",
			lang:       "it",
			reference:  "C/2026/2605",
			references: []string{"C/2026/2605", "http://data.europa.eu/eli/C/2026/2605/oj"}, referenceDocs: []string{"COM(2025) 270 final"},
			title:      "Strategia dell'UE per le start-up e le scale-up",
			date:       "2026-03-05",
			rapporteur: Rapporteur{Name: "Jozef Viskupič", Country: "SK", Group: "Renew Europe", Role: "presidente della regione di Trnava"},
			dates:      []Dated{{"adopted in plenary", "2026-03-05"}, {"published in the Official Journal", "2026-05-20"}},
			paragraphs: 2,
			sections:   map[int]string{1: "Raccomandazioni politiche", 2: "Raccomandazioni politiche"},
			ends:       map[int]string{2: "osserva inoltre che persistono disparità tra le regioni."},
		},
		{
			file:       "cor-opinions/oj-sections-synthetic.txt",
			lang:       "en",
			reference:  "C/2026/9999",
			references: []string{"C/2026/9999", "http://data.europa.eu/eli/C/2026/9999/oj"}, referenceDocs: []string{"COM(2025) 123 final"},
			title:      "Layout test with Roman-numbered sections",
			date:       "2026-04-11",
			rapporteur: Rapporteur{Name: "Maria Rossi-Bianchi", Country: "IT", Group: "PES", Role: "Mayor of Anytown"},
			paragraphs: 4,
			sections:   map[int]string{1: "Introductory remarks", 2: "Introductory remarks", 3: "Policy recommendations", 4: "Policy recommendations"},
			starts:     map[int]string{1: "welcomes the proposal, which follows its earlier call [1] for simpler rules;"},
			ends:       map[int]string{4: "asks for a review within three years."},
			notes:      []Note{{1, "OJ C 123, 1.2.2025, p. 1."}},
		},
	}
	for _, w := range tests {
		t.Run(w.file, func(t *testing.T) {
			d := parseFixture(t, w.file)
			checkOpinion(t, d, w)
		})
	}
}

func checkOpinion(t *testing.T, d Document, w opinionWant) {
	t.Helper()
	str := []struct{ field, got, want string }{
		{"Kind", d.Kind, KindOpinion}, {"Language", d.Language, w.lang}, {"Reference", d.Reference, w.reference},
		{"Title", d.Title, w.title}, {"Session", d.Session, w.session}, {"Date", d.Date, w.date},
		{"Commission", d.Commission, w.commission}, {"LegalBasis", d.LegalBasis, w.legalBasis},
		{"ProceduralBasis", d.ProceduralBasis, w.proceduralBasis},
	}
	for _, s := range str {
		if s.got != s.want {
			t.Errorf("%s = %q, want %q", s.field, s.got, s.want)
		}
	}
	if d.Rapporteur == nil || *d.Rapporteur != w.rapporteur {
		t.Errorf("Rapporteur = %+v, want %+v", d.Rapporteur, w.rapporteur)
	}
	if w.referenceDocs != nil && !reflect.DeepEqual(d.ReferenceDocs, w.referenceDocs) {
		t.Errorf("ReferenceDocs = %q, want %q", d.ReferenceDocs, w.referenceDocs)
	}
	if w.references != nil && !reflect.DeepEqual(d.References, w.references) {
		t.Errorf("References = %q, want %q", d.References, w.references)
	}
	if w.dates != nil && !reflect.DeepEqual(d.Dates, w.dates) {
		t.Errorf("Dates = %+v, want %+v", d.Dates, w.dates)
	}
	if !reflect.DeepEqual(d.PreviousOpinions, w.previous) {
		t.Errorf("PreviousOpinions = %+v, want %+v", d.PreviousOpinions, w.previous)
	}
	if !reflect.DeepEqual(d.Notes, w.notes) {
		t.Errorf("Notes = %+v, want %+v", d.Notes, w.notes)
	}
	if len(d.KeyPoints) != w.keyPoints {
		t.Errorf("len(KeyPoints) = %d, want %d: %q", len(d.KeyPoints), w.keyPoints, d.KeyPoints)
	}
	if len(d.Paragraphs) != w.paragraphs {
		t.Fatalf("len(Paragraphs) = %d, want %d", len(d.Paragraphs), w.paragraphs)
	}
	for i, p := range d.Paragraphs {
		if p.Number != i+1 {
			t.Errorf("paragraph %d has number %d", i+1, p.Number)
		}
		if strings.ContainsAny(p.Text+p.Section, "*#<>") || strings.Contains(p.Text, "( 1 )") {
			t.Errorf("paragraph %d keeps markup or footnote marks: %q / %q", p.Number, p.Section, p.Text)
		}
	}
	for n, s := range w.sections {
		if got := d.Paragraphs[n-1].Section; got != s {
			t.Errorf("paragraph %d section = %q, want %q", n, got, s)
		}
	}
	for n, s := range w.starts {
		if got := d.Paragraphs[n-1].Text; !strings.HasPrefix(got, s) {
			t.Errorf("paragraph %d = %q, want it to start with %q", n, got, s)
		}
	}
	for n, s := range w.ends {
		if got := d.Paragraphs[n-1].Text; !strings.HasSuffix(got, s) {
			t.Errorf("paragraph %d = %q, want it to end with %q", n, got, s)
		}
	}
	for n, s := range w.contains {
		if got := d.Paragraphs[n-1].Text; !strings.Contains(got, s) {
			t.Errorf("paragraph %d = %q, want it to contain %q", n, got, s)
		}
	}
	for _, junk := range []string{"ELI:", "ISSN", "<b>", "<sup>", "( 1 )", "Official Journal of the European Union", "Gazzetta ufficiale", "\n:\n"} {
		if strings.Contains(d.Body, junk) {
			t.Errorf("Body contains %q", junk)
		}
	}
}

func TestParseOpinionProcedure(t *testing.T) {
	d := parseFixture(t, seedName(t, "004"))
	want := []Field{
		{"Title", "Challenges and opportunities of artificial intelligence in the public sector: defining the role of regional and local authorities"},
		{"Reference(s)", "N/A"},
		{"Legal basis", "Article 307(4) TFEU"},
		{"Procedural basis", "Own-initiative opinion (Rule 41(b)(ii) of the RP)"},
		{"Date of Council/EP referral/Date of Commission letter", "-"},
		{"Date of Bureau/President's decision", "-"},
		{"Commission responsible", "Commission for Economic Policy (ECON)"},
		{"Rapporteur", "Alberto CIRIO (IT/EPP)"},
		{"Date adopted by commission", "24 October 2024"},
		{"Result of the vote in commission (majority/unanimity)", "Majority"},
		{"Date adopted in plenary", "21 November 2024"},
		{"Previous Committee opinion(s)", "Digital Cohesion; European Approach to Artificial Intelligence - Artificial Intelligence Act (revised opinion)"},
		{"Subsidiarity reference", "-"},
	}
	if !reflect.DeepEqual(d.Procedure, want) {
		t.Errorf("Procedure =\n%+v\nwant\n%+v", d.Procedure, want)
	}
	// Page breaks are mended in the body too.
	for _, s := range []string{"guidelines for regional and local governments on implementing the Act", "with a particular focus on the development of large European language models"} {
		if !strings.Contains(d.Body, s) {
			t.Errorf("Body lacks %q", s)
		}
	}
	for _, p := range d.Paragraphs {
		if strings.HasPrefix(p.Text, "Brussels") || strings.Contains(p.Text, "Cordeiro") {
			t.Errorf("paragraph %d holds the closing: %q", p.Number, p.Text)
		}
	}
}

func TestRapporteurLine(t *testing.T) {
	tests := []struct {
		in   string
		want Rapporteur
	}{
		{"Alberto CIRIO (IT/EPP), President of the Piedmont Region", Rapporteur{"Alberto Cirio", "IT", "EPP", "President of the Piedmont Region"}},
		{"Jozef VISKUPIČ (SK/renew E), President of Trnava region", Rapporteur{"Jozef Viskupič", "SK", "Renew Europe", "President of Trnava region"}},
		{"Clare COLLERAN MOLLOY (IE/Renew Europe)", Rapporteur{"Clare Colleran Molloy", "IE", "Renew Europe", ""}},
		{"Anna D'AMICO (IT/PES), Mayor", Rapporteur{"Anna D'Amico", "IT", "PES", "Mayor"}},
	}
	for _, tc := range tests {
		if got := parseRapporteur(tc.in); got == nil || *got != tc.want {
			t.Errorf("parseRapporteur(%q) = %+v, want %+v", tc.in, got, tc.want)
		}
	}
}

// TestOpinionOtherText: the text after the numbered paragraphs (the
// amendments, with their headings) is kept apart from them, where it stands;
// headings of numbered sections are not.
func TestOpinionOtherText(t *testing.T) {
	docs, err := Parse("opinions/nat-vii-041.md", readTestdata(t, "testdata/cor-opinions/amendments-synthetic.md"), nil)
	if err != nil {
		t.Fatal(err)
	}
	d := docs[0]
	if d.Kind != KindOpinion || len(d.Paragraphs) != 3 || d.Paragraphs[2].Section != "Funding" {
		t.Fatalf("kind %s, paragraphs %+v", d.Kind, d.Paragraphs)
	}
	if len(d.OtherText) != 1 || d.OtherText[0].After != 3 {
		t.Fatalf("other text = %+v, want one block after paragraph 3", d.OtherText)
	}
	text := d.OtherText[0].Text
	for _, want := range []string{"**II. RECOMMENDED AMENDMENTS**\n\n**Amendment 1**", "| Member States shall report every year. | Member States and their regions shall report every year. |", "*Reason*\n\nAquifers are managed by regional water boards."} {
		if !strings.Contains(text, want) {
			t.Errorf("other text lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "Funding") || strings.Contains(text, "Brussels") {
		t.Errorf("other text holds a section heading or the place of adoption:\n%s", text)
	}
	seed, err := Parse("opinions/econ-vii-038.txt", readTestdata(t, "testdata/seeds/004_0db3a085d7f705a5.txt"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if o := seed[0].OtherText; len(o) != 0 {
		t.Errorf("the seed opinion, all numbered paragraphs under headings, has other text %+v", o)
	}
}

// TestItalianProcedureLabels: the other wordings of the Italian procedure
// table's rows ("Precedenti pareri del Comitato", "Base regolamentare")
// give the same previous opinions and procedural basis.
func TestItalianProcedureLabels(t *testing.T) {
	const name = "cor-it/opinion-it.md"
	want := parseFixture(t, name)
	if len(want.PreviousOpinions) != 2 || want.ProceduralBasis == "" {
		t.Fatalf("%s: previous opinions %+v, procedural basis %q; want 2 and one", name, want.PreviousOpinions, want.ProceduralBasis)
	}
	for _, r := range [][2]string{
		{"Pareri precedenti del Comitato", "Precedenti pareri del Comitato"},
		{"Base procedurale", "Base regolamentare"},
	} {
		b := readFixture(t, name)
		if !strings.Contains(b, r[0]) {
			t.Fatalf("%s has no %q", name, r[0])
		}
		d, err := parseText(name, strings.Replace(b, r[0], r[1], 1))
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(d.PreviousOpinions, want.PreviousOpinions) || d.ProceduralBasis != want.ProceduralBasis {
			t.Errorf("with %q: previous opinions %+v, procedural basis %q; want %+v, %q", r[1], d.PreviousOpinions, d.ProceduralBasis, want.PreviousOpinions, want.ProceduralBasis)
		}
	}
}
