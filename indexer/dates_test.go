package indexer

import "testing"

func TestParseDate(t *testing.T) {
	tests := []struct{ in, want string }{
		{"2024-11-21", "2024-11-21"},
		{"21/11/2024", "2024-11-21"},
		{"21 November 2024", "2024-11-21"},
		{"November 21, 2024", "2024-11-21"},
		{"21 novembre 2024", "2024-11-21"},
		{"21 Novembre 2024.", "2024-11-21"},
		{"1° marzo 2024", "2024-03-01"},
		{"1º marzo 2024", "2024-03-01"},
		{"12 ott 2017", "2017-10-12"},
		{"12 ott. 2017", "2017-10-12"},
		{"8 giu 2023", "2023-06-08"},
		{"15 gen 2020", "2020-01-15"},
		{"3 dic 2019", "2019-12-03"},
		{"10 mag 2018", "2018-05-10"},
		{"5 lug 2021", "2021-07-05"},
		{"20 ago 2022", "2022-08-20"},
		{"28 set 2016", "2016-09-28"},
		{"2 Jan 2006", "2006-01-02"},
		{"28 set", ""}, // no year
		{"soon", ""},
		{"", ""},
	}
	for _, tc := range tests {
		got, ok := parseDate(tc.in)
		if got != tc.want || ok != (tc.want != "") {
			t.Errorf("parseDate(%q) = %q, %v; want %q", tc.in, got, ok, tc.want)
		}
	}
}

// TestQuarterStart: the quarters the OGP export writes start dates as.
func TestQuarterStart(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Quarter 1 2014", "2014-01-01"}, {"IV quarter of 2020", "2020-10-01"}, {"I quarter of 2021", "2021-01-01"},
		{"iii Quarter of 2022", "2022-07-01"}, {"Q2 2019", "2019-04-01"}, {"2nd quarter 2015", "2015-04-01"},
		{"Quarter 5 2014", ""}, {"V quarter of 2020", ""}, {"Underway", ""}, {"quarterly 2014", ""},
	} {
		got := ""
		if d, ok := quarterStart(tc.in); ok {
			got = d.Format("2006-01-02")
		}
		if got != tc.want {
			t.Errorf("quarterStart(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
