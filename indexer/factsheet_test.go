package indexer

import (
	"reflect"
	"testing"
)

func TestParseFactsheet(t *testing.T) {
	tests := []struct {
		file, lang, title, session string
		events                     []Event // title and date of each event, in order
		firstText                  string
	}{
		{
			file:    seedName(t, "000"),
			lang:    "en",
			title:   "Local and regional perspective on promoting public sector innovation via digital solutions",
			session: "126th plenary session",
			events: []Event{
				{Date: "2017-11-30", Title: "Adoption of the opinion during the 126th plenary session of the European Committee of the Regions"},
				{Date: "2017-11-21", Title: "Innovation in Government: The New Normal"},
				{Date: "2017-10-12", Title: `Knowledge Exchange Platform Thematic Seminar "Yes, local governments innovate!"`},
				{Date: "2017-09-28", Title: "Discussion and adoption of the draft opinion"},
				{Date: "2017-06-08", Title: "Appointment of Rapporteur"},
			},
			firstText: "The opinion was adopted by unanimity.",
		},
		{
			file:    "cor-it/factsheet-it.txt",
			lang:    "it",
			title:   "Prospettiva locale e regionale sulla promozione dell'innovazione nel settore pubblico attraverso soluzioni digitali",
			session: "126a sessione plenaria",
			events: []Event{
				{Date: "2017-11-30", Title: "Adozione del parere durante la 126a sessione plenaria del Comitato europeo delle regioni"},
				{Date: "2017-11-21", Title: "Innovazione nella pubblica amministrazione: la nuova normalità"},
				{Date: "2017-10-12", Title: `Seminario tematico "Sì, gli enti locali innovano!"`},
				{Date: "2017-09-28", Title: "Discussione e adozione del progetto di parere"},
				{Date: "2017-06-08", Title: "Nomina del relatore"},
			},
			firstText: "Il parere è stato adottato all'unanimità.",
		},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			d := parseFixture(t, tc.file)
			str := []struct{ field, got, want string }{
				{"Kind", d.Kind, KindFactsheet}, {"Language", d.Language, tc.lang}, {"Reference", d.Reference, "CDR 3529/2017"},
				{"Title", d.Title, tc.title}, {"Commission", d.Commission, "SEDEC"}, {"Status", d.Status, "Adopted"},
				{"Date", d.Date, "2017-11-30"}, {"Session", d.Session, tc.session},
			}
			for _, s := range str {
				if s.got != s.want {
					t.Errorf("%s = %q, want %q", s.field, s.got, s.want)
				}
			}
			if want := (Rapporteur{Name: "Frank Cecconi", Group: "ALDE"}); d.Rapporteur == nil || *d.Rapporteur != want {
				t.Errorf("Rapporteur = %+v, want %+v", d.Rapporteur, want)
			}
			if len(d.KeyPoints) != 6 {
				t.Errorf("len(KeyPoints) = %d, want 6: %q", len(d.KeyPoints), d.KeyPoints)
			}
			var got []Event
			for _, e := range d.Events {
				got = append(got, Event{Date: e.Date, Title: e.Title})
			}
			if !reflect.DeepEqual(got, tc.events) {
				t.Errorf("Events =\n%+v\nwant\n%+v", got, tc.events)
			}
			if len(d.Events) > 0 && d.Events[0].Text != tc.firstText {
				t.Errorf("Events[0].Text = %q, want %q", d.Events[0].Text, tc.firstText)
			}
		})
	}
}

// TestEventYears: the timeline prints no years; a month later than the next
// newer event's belongs to the year before.
func TestEventYears(t *testing.T) {
	blocks := splitBlocks("A\n\n02 Feb\n\nB\n\n15 Dec\n\nC\n\n01 Mar\n\nD\n\n20 Jan\n")
	got := readEvents(blocks, "2021-02-10")
	want := []string{"2021-02-02", "2020-12-15", "2020-03-01", "2020-01-20"}
	for i, e := range got {
		if i >= len(want) || e.Date != want[i] {
			t.Errorf("event %d (%s) date = %q, want %q", i, e.Title, e.Date, want[i])
		}
	}
	if len(got) != len(want) {
		t.Errorf("got %d events, want %d", len(got), len(want))
	}
}

func TestPersonName(t *testing.T) {
	for in, want := range map[string]string{
		"CECCONI, Frank": "Frank Cecconi", "Alberto CIRIO": "Alberto Cirio", "Vasco Alves Cordeiro": "Vasco Alves Cordeiro",
		"DE LA TORRE, Ana-María": "Ana-María De La Torre", "Kata TÜTTŐ": "Kata Tüttő",
	} {
		if got := personName(in); got != want {
			t.Errorf("personName(%q) = %q, want %q", in, got, want)
		}
	}
}
