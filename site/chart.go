package site

import (
	"hash/fnv"
	"sort"
	"strconv"
	"strings"
)

// chartRow is one bar of the status chart: an action plan and its
// commitments counted by status ("" for those without one).
type chartRow struct {
	Label  string
	Total  int
	Counts map[string]int
}

// chart is a stacked horizontal bar chart drawn as inline SVG on the
// server, with its data as a table for people who do not see it.
type chart struct {
	Title, Desc string
	Note        string        // what the chart leaves out, if anything
	Height      int           // px
	Statuses    []chartStatus // legend and table columns, in order
	Bars        []chartBar
}

type chartStatus struct {
	Key, Label, Fill string
}

type chartBar struct {
	Label  string
	Total  int
	LabelY int
	BarY   int
	TotalX string // where the total is written, a percentage of the width
	Cells  []int  // counts per status, in Statuses order (for the table)
	Segs   []chartSeg
}

// chartSeg is one status of one bar. Horizontal positions are percentages
// of the chart's width, so the bars fit any screen while the text keeps its
// size; vertical positions are pixels.
type chartSeg struct {
	X, W       string
	Y          int
	Fill       string
	Count      int
	Label      string // status label, for the segment's <title>
	ShowCount  bool
	TextX      string
	TextOfBarY int
}

func pct(f float64) string { return strconv.FormatFloat(f, 'f', 2, 64) + "%" }

// statusOrder is the order of the OGP completion levels, least done first.
var statusOrder = []string{"not started", "limited", "substantial", "complete", "completed"}

// statusFills are the segment colours, one per status, the same in every
// view of the chart: each has a contrast of at least 4.5:1 with white, so the
// white counts on them and the bars on the page are legible. A status not
// named here takes one of otherFills, chosen by its name.
var statusFills = map[string]string{
	"not started": "#b3261e", "limited": "#8a4b00", "substantial": "#1565c0", "complete": "#2e7d32", "completed": "#2e7d32",
	"withdrawn": "#6a1b9a", "unclear": "#37474f",
}

var otherFills = []string{"#00695c", "#ad1457", "#4e342e", "#283593"}

// statusFill is the colour of status key.
func statusFill(key string) string {
	key = strings.ToLower(strings.TrimSpace(key))
	if f, ok := statusFills[key]; ok {
		return f
	}
	h := fnv.New32a()
	h.Write([]byte(key))
	return otherFills[h.Sum32()%uint32(len(otherFills))]
}

const noStatusFill = "#616161"

const (
	chartBarMax = 88.0 // percent of the width for the longest bar; the rest holds its total
	minSegment  = 0.6  // percent: the narrowest segment drawn
	chartRowH   = 48
	chartBarH   = 22
	chartTop    = 4
)

func statusRank(s string) int {
	for i, o := range statusOrder {
		if strings.EqualFold(s, o) {
			return i
		}
	}
	if s == "" {
		return len(statusOrder) + 1
	}
	return len(statusOrder)
}

func newChart(u ui, rows []chartRow) *chart {
	keys := map[string]bool{}
	maxTotal := 1
	for _, r := range rows {
		for k := range r.Counts {
			keys[k] = true
		}
		maxTotal = max(maxTotal, r.Total)
	}
	var order []string
	for k := range keys {
		order = append(order, k)
	}
	sort.Slice(order, func(i, j int) bool {
		ri, rj := statusRank(order[i]), statusRank(order[j])
		if ri != rj {
			return ri < rj
		}
		return order[i] < order[j]
	})
	c := &chart{Title: u.T("commit.chart"), Desc: u.T("commit.chartdesc")}
	for _, k := range order {
		st := chartStatus{Key: k, Label: u.Status(k), Fill: statusFill(k)}
		if k == "" {
			st.Label, st.Fill = u.T("commit.nostatus"), noStatusFill
		}
		c.Statuses = append(c.Statuses, st)
	}
	y := chartTop
	for _, r := range rows {
		b := chartBar{Label: r.Label, Total: r.Total, LabelY: y + 14, BarY: y + 20}
		x := 0.0
		for _, st := range c.Statuses {
			n := r.Counts[st.Key]
			b.Cells = append(b.Cells, n)
			if n == 0 {
				continue
			}
			w := max(minSegment, float64(n)*chartBarMax/float64(maxTotal))
			seg := chartSeg{X: pct(x), Y: b.BarY, W: pct(w), Fill: st.Fill, Count: n, Label: st.Label + ": " + strconv.Itoa(n),
				// Room for the digits on a phone-wide chart (about 340 px).
				ShowCount: w*3.4 >= float64(8*len(strconv.Itoa(n))+8), TextX: pct(x + w/2), TextOfBarY: b.BarY + 16}
			b.Segs = append(b.Segs, seg)
			x += w
		}
		b.TotalX = pct(x)
		c.Bars = append(c.Bars, b)
		y += chartRowH
	}
	c.Height = y + 4
	return c
}
