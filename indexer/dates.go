package indexer

import (
	"strings"
	"time"
)

// dateLayouts are the date spellings parseDate accepts, tried in order.
var dateLayouts = []string{
	"2006-01-02", "02/01/2006", "2/1/2006", "02.01.2006", "2.1.2006", "2006-01-02T15:04:05Z07:00",
	"2 January 2006", "January 2, 2006", "2 Jan 2006", "Jan 2, 2006",
}

// parseDate reads a date written in one of the common European or ISO forms,
// including Italian month names, and returns it as YYYY-MM-DD.
func parseDate(s string) (string, bool) {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "."))
	if s == "" {
		return "", false
	}
	s = englishMonths(s)
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.Format("2006-01-02"), true
		}
	}
	if len(s) > 10 {
		if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
			return t.Format("2006-01-02"), true
		}
		if t, err := time.Parse("2006-01-02", s[:10]); err == nil {
			return t.Format("2006-01-02"), true
		}
	}
	return "", false
}

// italianMonths turns Italian month names and their abbreviations into
// English ones (a full name is tried before its abbreviation), and drops
// the ordinal sign of "1° marzo".
var italianMonths = strings.NewReplacer(
	"gennaio", "January", "febbraio", "February", "marzo", "March", "aprile", "April",
	"maggio", "May", "giugno", "June", "luglio", "July", "agosto", "August",
	"settembre", "September", "ottobre", "October", "novembre", "November", "dicembre", "December",
	"gen.", "Jan", "gen", "Jan", "feb.", "Feb", "mar.", "Mar", "apr.", "Apr", "mag.", "May", "mag", "May",
	"giu.", "Jun", "giu", "Jun", "lug.", "Jul", "lug", "Jul", "ago.", "Aug", "ago", "Aug",
	"set.", "Sep", "set", "Sep", "ott.", "Oct", "ott", "Oct", "nov.", "Nov", "dic.", "Dec", "dic", "Dec",
	"°", "", "º", "",
)

// englishMonths rewrites Italian month names (any case) to English ones.
func englishMonths(s string) string {
	low := strings.ToLower(s)
	if r := italianMonths.Replace(low); r != low {
		return r
	}
	return s
}
