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
