package indexer

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
)

// maxDocxXML caps the decompressed size of the parts docxText reads, so that
// a zip bomb (a small file that inflates to gigabytes) fails fast.
const maxDocxXML = 50 << 20

// docxText extracts the text of a DOCX file from word/document.xml:
// paragraphs separated by blank lines, headings (by their style, e.g.
// "heading 1") as Markdown "#" lines, list paragraphs as "- " items, table
// rows as cells joined by " | ". Deleted tracked changes, headers, footers
// and comments are left out.
func docxText(b []byte) (string, error) {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return "", isNot("DOCX", b, firstLine(err.Error()))
	}
	var doc, styles, numbering, footnotes *zip.File
	for _, f := range zr.File {
		switch f.Name {
		case "word/document.xml":
			doc = f
		case "word/styles.xml":
			styles = f
		case "word/numbering.xml":
			numbering = f
		case "word/footnotes.xml":
			footnotes = f
		}
	}
	if doc == nil {
		if f := actualFormat(b); f != "" && f != "a zip archive" {
			return "", fmt.Errorf("docx: not a DOCX file: it is %s", f)
		}
		return "", errors.New("docx: no word/document.xml in the archive")
	}
	headings := map[string]int{}
	if styles != nil {
		if x, err := readZipPart(styles); err == nil {
			headings = docxHeadingStyles(x)
		}
	}
	var lists map[string]docxLevel
	if numbering != nil {
		if x, err := readZipPart(numbering); err == nil {
			lists = docxNumbering(x)
		}
	}
	var notes map[string]string
	if footnotes != nil {
		if x, err := readZipPart(footnotes); err == nil {
			notes = docxFootnotes(x)
		}
	}
	x, err := readZipPart(doc)
	if err != nil {
		return "", err
	}
	text, err := docxBody(x, headings, lists, notes)
	if err != nil {
		return "", err
	}
	if strings.TrimSpace(text) == "" {
		return "", errors.New("docx: no text in document")
	}
	return text, nil
}

// readZipPart reads one part of the archive, refusing parts that declare
// or inflate to more than maxDocxXML bytes.
func readZipPart(f *zip.File) ([]byte, error) {
	tooBig := fmt.Errorf("docx: %s larger than %d MB", f.Name, maxDocxXML>>20)
	if f.UncompressedSize64 > maxDocxXML {
		return nil, tooBig
	}
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("docx: %s: %s", f.Name, firstLine(err.Error()))
	}
	defer rc.Close()
	// The declared size can lie: stop reading past the cap whatever it says.
	x, err := io.ReadAll(io.LimitReader(rc, maxDocxXML+1))
	if err != nil {
		return nil, fmt.Errorf("docx: %s: %s", f.Name, firstLine(err.Error()))
	}
	if len(x) > maxDocxXML {
		return nil, tooBig
	}
	return x, nil
}

var headingName = regexp.MustCompile(`(?i)^(?:heading|titolo|titre|überschrift|kop|título|titulo|nagłówek)\s*([1-9])$`)

// docxHeadingStyles maps paragraph style ids to heading levels, reading the
// styles' names ("heading 1", "Title"), which Word keeps in English whatever
// the user's language, and their outline levels.
func docxHeadingStyles(x []byte) map[string]int {
	levels := map[string]int{}
	dec := xml.NewDecoder(bytes.NewReader(x))
	dec.Strict = false
	id := ""
	for {
		tok, err := dec.Token()
		if err != nil {
			return levels
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch se.Name.Local {
		case "style":
			id = xmlAttr(se, "styleId")
		case "name":
			name := strings.TrimSpace(xmlAttr(se, "val"))
			if m := headingName.FindStringSubmatch(name); m != nil {
				levels[id] = int(m[1][0] - '0')
			} else if strings.EqualFold(name, "Title") {
				levels[id] = 1
			}
		case "outlineLvl":
			if n, err := strconv.Atoi(xmlAttr(se, "val")); err == nil && n >= 0 && n < 9 && id != "" {
				if _, ok := levels[id]; !ok {
					levels[id] = n + 1
				}
			}
		}
	}
}

// docxFootnotes reads footnotes.xml: the text of each footnote, by id
// (Word's separators, of negative or zero ids, left out).
func docxFootnotes(x []byte) map[string]string {
	notes := map[string]string{}
	dec := xml.NewDecoder(bytes.NewReader(x))
	dec.Strict = false
	var id string
	var text strings.Builder
	inText := false
	for {
		tok, err := dec.Token()
		if err != nil {
			return notes
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "footnote":
				id = xmlAttr(t, "id")
				text.Reset()
			case "t":
				inText = true
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "t":
				inText = false
			case "p":
				text.WriteByte(' ') // between a footnote's paragraphs
			case "footnote":
				if n, err := strconv.Atoi(id); err == nil && n > 0 {
					if s := collapseSpace(text.String()); s != "" {
						notes[id] = s
					}
				}
			}
		case xml.CharData:
			if inText && text.Len() < maxDocxXML {
				text.Write(t)
			}
		}
	}
}

// docxLevel is how one level of a numbered list is numbered.
type docxLevel struct {
	format string // numFmt: "decimal", "bullet", "lowerLetter" ...
	start  int
}

// docxNumbering reads numbering.xml: the format of each list level, by
// "numId/ilvl" as paragraphs refer to them.
func docxNumbering(x []byte) map[string]docxLevel {
	abstract := map[string]map[string]docxLevel{} // abstractNumId -> ilvl -> level
	nums := map[string]string{}                   // numId -> abstractNumId
	dec := xml.NewDecoder(bytes.NewReader(x))
	dec.Strict = false
	var aid, ilvl, numID string
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch se.Name.Local {
		case "abstractNum":
			aid, numID = xmlAttr(se, "abstractNumId"), ""
			abstract[aid] = map[string]docxLevel{}
		case "lvl":
			ilvl = xmlAttr(se, "ilvl")
			if aid != "" && numID == "" {
				abstract[aid][ilvl] = docxLevel{start: 1}
			}
		case "start":
			if l, ok := abstract[aid][ilvl]; ok && numID == "" {
				if n, err := strconv.Atoi(xmlAttr(se, "val")); err == nil {
					l.start = n
					abstract[aid][ilvl] = l
				}
			}
		case "numFmt":
			if l, ok := abstract[aid][ilvl]; ok && numID == "" {
				l.format = xmlAttr(se, "val")
				abstract[aid][ilvl] = l
			}
		case "num":
			numID = xmlAttr(se, "numId")
		case "abstractNumId":
			if numID != "" {
				nums[numID] = xmlAttr(se, "val")
			}
		}
	}
	out := map[string]docxLevel{}
	for id, a := range nums {
		for lvl, l := range abstract[a] {
			out[id+"/"+lvl] = l
		}
	}
	return out
}

func xmlAttr(se xml.StartElement, local string) string {
	for _, a := range se.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

// docxBody walks document.xml and writes its blocks. Paragraphs of a list
// numbered 1, 2, 3 at its first level (lists) keep their numbers, as an
// opinion's paragraphs must; other list paragraphs are "- " items.
func docxBody(x []byte, headings map[string]int, lists map[string]docxLevel, notes map[string]string) (string, error) {
	dec := xml.NewDecoder(bytes.NewReader(x))
	w := &blockWriter{}
	var (
		para      strings.Builder
		level     int    // heading level of the current paragraph
		item      bool   // the current paragraph is a list item
		numID     string // its list, and its level in the list
		ilvl      string
		counters  = map[string]int{} // the last number given, by list
		cited     []string           // the footnotes referred to, in order: note n is cited[n-1]
		inText    bool               // inside w:t
		tables    []*docxTable       // open tables, innermost last
		skipDepth int                // inside an element whose text is not content
		depth     int
		inPPr     bool // inside paragraph properties, where w:tab is a tab stop
	)
	endPara := func() {
		t := strings.TrimSpace(para.String())
		para.Reset()
		if len(tables) > 0 {
			tables[len(tables)-1].addText(t)
			return
		}
		if t == "" {
			return
		}
		// Line breaks inside a paragraph are kept, except in headings.
		lines := strings.Split(t, "\n")
		for i := range lines {
			lines[i] = collapseSpace(lines[i])
		}
		switch {
		case level > 0:
			w.add(strings.Repeat("#", level)+" "+strings.Join(lines, " "), "")
		case item && ilvl == "0" && lists[numID+"/0"].format == "decimal":
			n, ok := counters[numID]
			if !ok {
				n = lists[numID+"/0"].start - 1
			}
			counters[numID] = n + 1
			w.add(strconv.Itoa(n+1)+". "+strings.Join(lines, "\n"), "")
		case item:
			w.add("- "+strings.Join(lines, "\n  "), "li")
		default:
			w.add(strings.Join(lines, "\n"), "")
		}
	}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", fmt.Errorf("docx: document.xml: %s", firstLine(err.Error()))
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if depth++; depth > 1000 {
				return "", errors.New("docx: document.xml nested more than 1000 deep")
			}
			if skipDepth > 0 {
				skipDepth++
				continue
			}
			switch t.Name.Local {
			case "p":
				level, item, numID, ilvl = 0, false, "", "0"
			case "pStyle":
				level = headings[xmlAttr(t, "val")]
			case "outlineLvl":
				if n, err := strconv.Atoi(xmlAttr(t, "val")); err == nil && n >= 0 && n < 9 && level == 0 {
					level = n + 1
				}
			case "numPr":
				item = true
			case "footnoteReference":
				// As the Official Journal marks a note: "( 1 )", which the
				// opinion reader links to the notes written at the end.
				if id := xmlAttr(t, "id"); notes[id] != "" {
					cited = append(cited, id)
					fmt.Fprintf(&para, " ( %d ) ", len(cited))
				}
			case "numId":
				numID = xmlAttr(t, "val")
			case "ilvl":
				ilvl = xmlAttr(t, "val")
			case "t":
				inText = true
			case "pPr":
				inPPr = true
			case "tab":
				if !inPPr {
					para.WriteByte('\t')
				}
			case "br", "cr":
				if xmlAttr(t, "type") == "page" {
					para.WriteByte(' ')
				} else {
					para.WriteByte('\n')
				}
			case "noBreakHyphen":
				para.WriteByte('-')
			case "tbl":
				endPara()
				tables = append(tables, &docxTable{})
			case "tr":
				if len(tables) > 0 {
					tables[len(tables)-1].cells = nil
				}
			case "tc":
				if len(tables) > 0 {
					tables[len(tables)-1].cell.Reset()
				}
			case "delText", "instrText", "rPr", "sectPr", "fldData", "Fallback", "moveFrom":
				// Deleted text, field codes, the fallback copy of text
				// boxes (the same text as the preferred choice), and the
				// old place of text a tracked change moved.
				skipDepth = 1
			}
		case xml.EndElement:
			depth--
			if skipDepth > 0 {
				skipDepth--
				continue
			}
			switch t.Name.Local {
			case "t":
				inText = false
			case "pPr":
				inPPr = false
			case "p":
				endPara()
			case "tc":
				if n := len(tables); n > 0 {
					tb := tables[n-1]
					tb.cells = append(tb.cells, strings.TrimSpace(tb.cell.String()))
					tb.cell.Reset()
				}
			case "tr":
				if n := len(tables); n > 0 {
					tb := tables[n-1]
					if row := strings.Trim(strings.Join(tb.cells, " | "), " |"); row != "" {
						if n == 1 {
							w.add(row, "tr")
						} else {
							tb.rows = append(tb.rows, strings.Join(tb.cells, " "))
						}
					}
					tb.cells = nil
				}
			case "tbl":
				if n := len(tables); n > 0 {
					// A table nested in a cell: its rows go into the outer cell.
					inner := tables[n-1]
					tables = tables[:n-1]
					if n > 1 {
						tables[n-2].addText(strings.Join(inner.rows, " "))
					}
				}
			}
		case xml.CharData:
			if inText && skipDepth == 0 {
				para.Write(t)
				if para.Len() > maxDocxXML {
					return "", fmt.Errorf("docx: paragraph longer than %d MB", maxDocxXML>>20)
				}
			}
		}
	}
	endPara()
	for i, id := range cited {
		w.add(fmt.Sprintf("( %d ) %s", i+1, notes[id]), "")
	}
	return w.String(), nil
}

// docxTable collects the text of an open table.
type docxTable struct {
	rows  []string // of a nested table, flattened
	cells []string // of the current row
	cell  strings.Builder
}

func (tb *docxTable) addText(t string) {
	if t = collapseSpace(t); t == "" {
		return
	}
	if tb.cell.Len() > 0 {
		tb.cell.WriteByte(' ')
	}
	tb.cell.WriteString(t)
}
