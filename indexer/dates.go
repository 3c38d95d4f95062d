package indexer

import (
	"regexp"
	"strconv"
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

// quarterRe matches a quarter of a year as the OGP export writes one:
// "Quarter 1 2014", "IV quarter of 2020", "Q3 2019", "2nd quarter 2015".
var quarterRe = regexp.MustCompile(`(?i)^(?:quarter\s+([1-4])|([1-4])(?:st|nd|rd|th)?\s+quarter|(i|ii|iii|iv)\s+quarter|q([1-4]))(?:\s+of)?\s+(\d{4})$`)

// quarterStart returns the first day of the quarter s names.
func quarterStart(s string) (time.Time, bool) {
	m := quarterRe.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return time.Time{}, false
	}
	q := 0
	switch n := strings.ToLower(m[1] + m[2] + m[3] + m[4]); n {
	case "i":
		q = 1
	case "ii":
		q = 2
	case "iii":
		q = 3
	case "iv":
		q = 4
	default:
		q, _ = strconv.Atoi(n)
	}
	y, _ := strconv.Atoi(m[5])
	return time.Date(y, time.Month(3*q-2), 1, 0, 0, 0, 0, time.UTC), true
}
