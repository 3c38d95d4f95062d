package indexer

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"slices"
	"strings"
	"testing"
	"unicode"
)

// pdfFixtures were made with LibreOffice 7.4 (soffice --headless
// --convert-to pdf) from seed texts; the .pdftotext.txt files next to them
// are the output of poppler's pdftotext 22.12 (default reading-order mode),
// committed so that the test needs no poppler. See testdata/formats/SOURCE.md.
var pdfFixtures = []struct {
	file   string
	source string   // the text the PDF was made from, when pdftotext's reading order is wrong
	first  string   // first line of the text
	has    []string // passages that must come out whole, in one paragraph
}{
	{
		file:  "opinion.pdf",
		first: "European Committee",
		has: []string{
			"ECON-VII/038",
			"163rd plenary session, 20-21 November 2024",
			"- stresses that local and regional authorities are key actors in the adoption of\nAI across the EU.",
			"Alberto CIRIO (IT/EPP), President of the Piedmont Region",
		},
	},
	{
		file: "emilia-2col.pdf",
		// pdftotext moves lines of the right column into the left one;
		// the order is checked against the text the PDF was made from.
		source: "emilia-2col.source.txt",
		first:  "Con l’espressione \"governo",
		has: []string{
			// The left column is read before the right one.
			"Secondo la definizione che ne dà l’Organizzazione per",
			"accountability e partecipazione dei portatori di interesse",
		},
	},
}

// TestPDFTextQuality compares the extraction with pdftotext's, word by word.
func TestPDFTextQuality(t *testing.T) {
	for _, fx := range pdfFixtures {
		t.Run(fx.file, func(t *testing.T) {
			got, err := pdfText(readTestdata(t, "testdata/formats/"+fx.file))
			if err != nil {
				t.Fatalf("pdfText: %v", err)
			}
			ref := string(readTestdata(t, "testdata/formats/"+strings.TrimSuffix(fx.file, ".pdf")+".pdftotext.txt"))
			inOrder, jaccard := wordSimilarity(got, ref)
			t.Logf("%s: %d words; pdftotext's words found in order %.4f, Jaccard of word multisets %.4f",
				fx.file, len(words(got)), inOrder, jaccard)
			if fx.source != "" {
				src := string(readTestdata(t, "testdata/formats/"+fx.source))
				srcOrder, srcJaccard := wordSimilarity(got, src)
				t.Logf("%s: against the source text: in order %.4f, Jaccard %.4f", fx.file, srcOrder, srcJaccard)
				if srcOrder < 0.95 {
					t.Errorf("similarity to the source text: in order %.4f, want >= 0.95", srcOrder)
				}
				inOrder = 1 // pdftotext's order is not the reference here
			}
			if inOrder < 0.95 || jaccard < 0.95 {
				t.Errorf("similarity to pdftotext: in order %.4f, Jaccard %.4f, want both >= 0.95", inOrder, jaccard)
			}
			if first, _, _ := strings.Cut(got, "\n"); first != fx.first {
				t.Errorf("first line = %q, want %q", first, fx.first)
			}
			for _, s := range fx.has {
				if !strings.Contains(got, s) {
					t.Errorf("text lacks %q", s)
				}
			}
		})
	}
}

// words splits text into lower-case words, dropping tokens with neither a
// letter nor a digit (bullets, dashes) and punctuation at the words' ends.
func words(s string) []string {
	var out []string
	for _, f := range strings.Fields(s) {
		f = strings.TrimFunc(strings.ToLower(f), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
		if f != "" {
			out = append(out, f)
		}
	}
	return out
}

// wordSimilarity returns the share of ref's words that got has in the same
// order (longest common subsequence / len(ref)) and the Jaccard index of the
// two word multisets.
func wordSimilarity(got, ref string) (inOrder, jaccard float64) {
	g, r := words(got), words(ref)
	if len(r) == 0 {
		return 0, 0
	}
	prev := make([]int, len(g)+1)
	cur := make([]int, len(g)+1)
	for i := 1; i <= len(r); i++ {
		for j := 1; j <= len(g); j++ {
			switch {
			case r[i-1] == g[j-1]:
				cur[j] = prev[j-1] + 1
			case prev[j] >= cur[j-1]:
				cur[j] = prev[j]
			default:
				cur[j] = cur[j-1]
			}
		}
		prev, cur = cur, prev
	}
	inOrder = float64(prev[len(g)]) / float64(len(r))
	count := map[string][2]int{}
	for _, w := range g {
		c := count[w]
		c[0]++
		count[w] = c
	}
	for _, w := range r {
		c := count[w]
		c[1]++
		count[w] = c
	}
	inter, union := 0, 0
	for _, c := range count {
		inter += min(c[0], c[1])
		union += max(c[0], c[1])
	}
	return inOrder, float64(inter) / float64(union)
}

func TestPDFTextErrors(t *testing.T) {
	good := readTestdata(t, "testdata/formats/opinion.pdf")
	tests := []struct {
		name    string
		in      []byte
		wantErr string
	}{
		{"not a pdf", []byte("\x01\x02 binary"), "pdf: not a PDF file (no %PDF- header)"},
		{"web page", []byte("<!DOCTYPE html><html><body>Access denied</body></html>"), "pdf: not a PDF file: it is an HTML page"},
		{"header only", []byte("%PDF-1.7\n"), "pdf: the file is cut short (it does not end with %%EOF)"},
		{"truncated", good[:len(good)/2], "pdf: the file is cut short (it does not end with %%EOF)"},
		{"an appended update cut short", append(bytes.Clone(good), []byte("\n5 0 obj\n<< /Type /Page >>\nendobj\nxref\n0 6\n")...), "pdf: the file is cut short"},
		{"garbage body", append([]byte("%PDF-1.4\n"), []byte(strings.Repeat("obj << /Type /Page >> endobj\n", 50))...), "pdf: "},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := pdfText(tc.in)
			if err == nil {
				t.Fatalf("pdfText = %q, want error", got[:min(len(got), 50)])
			}
			if !strings.HasPrefix(err.Error(), tc.wantErr) || strings.Contains(err.Error(), "\n") {
				t.Errorf("error = %q, want one line starting %q", err, tc.wantErr)
			}
		})
	}
}

// flatePDF is a one-page PDF whose content stream, compressed, shows text
// of n letters: a few KB that inflate to n bytes.
func flatePDF(t *testing.T, n int) []byte {
	t.Helper()
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write([]byte("BT /F1 12 Tf 72 720 Td ("))
	zw.Write(bytes.Repeat([]byte("A"), n))
	zw.Write([]byte(") Tj ET"))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return pdfOf("<</Type/Catalog/Pages 2 0 R>>",
		"<</Type/Pages/Kids[3 0 R]/Count 1>>",
		"<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>>>",
		fmt.Sprintf("<</Length %d/Filter/FlateDecode>>stream\n", z.Len())+z.String()+"\nendstream",
		"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>")
}

// TestPDFStreamBomb: a page whose compressed content inflates past
// maxPDFStream is refused before it is read glyph by glyph (a 2 MB file
// inflating to 2 GB took the server past 6 GB); a page within it is read.
func TestPDFStreamBomb(t *testing.T) {
	bomb := flatePDF(t, 40<<20)
	if len(bomb) > 1<<20 {
		t.Fatalf("the bomb is %d bytes, want a small file", len(bomb))
	}
	if _, err := pdfText(bomb); err == nil || err.Error() != "pdf: page 1 inflates to more than 16 MB of content" {
		t.Errorf("pdfText(40 MB inflated) error = %v, want the page refused", err)
	}
	text, err := pdfText(flatePDF(t, 1000))
	if err != nil || !strings.Contains(text, strings.Repeat("A", 1000)) {
		t.Errorf("pdfText(1,000 letters) = %d bytes, %v; want them", len(text), err)
	}
}

// TestPDFTextTolerated: valid files the PDF reader refuses as they are read
// the same as the fixture they were made from: a PDF 2.0 header, bytes after
// the last %%EOF, bytes before the header.
func TestPDFTextTolerated(t *testing.T) {
	good := readTestdata(t, "testdata/formats/opinion.pdf")
	want, err := pdfText(good)
	if err != nil {
		t.Fatal(err)
	}
	v2 := bytes.Clone(good)
	if !bytes.HasPrefix(v2, []byte("%PDF-1.")) {
		t.Fatalf("fixture header %q", v2[:8])
	}
	copy(v2, "%PDF-2.0 ")
	tests := []struct {
		name string
		in   []byte
	}{
		{"PDF 2.0", v2},
		{"bytes after %%EOF", append(bytes.Clone(good), "\r\n\x00\x00<html>appended by a mail gateway</html>"...)},
		{"bytes before the header", append([]byte("\r\n\n"), good...)},
		{"a byte-order mark before the header", append([]byte("\xef\xbb\xbf"), good...)},
		{"a mail header before the header", append([]byte("X-Junk: 1\r\n"), good...)},
		{"8 KB after %%EOF", append(bytes.Clone(good), make([]byte, 8000)...)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := pdfText(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Errorf("text differs from the fixture's: %d bytes, want %d", len(got), len(want))
			}
		})
	}
}

// TestParsePDFSidecar: a PDF with a YAML sidecar takes title, date and kind
// from the sidecar.
func TestParsePDFSidecar(t *testing.T) {
	sidecar := []byte("title: Challenges and opportunities of AI in the public sector\ndate: 21/11/2024\nkind: opinion\nreference: ECON-VII/038\nlanguage: en\n")
	docs, err := Parse("opinions/econ-vii-038.pdf", readTestdata(t, "testdata/formats/opinion.pdf"), sidecar)
	if err != nil {
		t.Fatal(err)
	}
	d := docs[0]
	checks := []struct{ field, got, want string }{
		{"title", d.Title, "Challenges and opportunities of AI in the public sector"},
		{"date", d.Date, "2024-11-21"},
		{"kind", d.Kind, KindOpinion},
		{"reference", d.Reference, "ECON-VII/038"},
		{"id", d.ID, "opinions.econ-vii-038"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.field, c.got, c.want)
		}
	}
	if !strings.Contains(d.Body, "Alberto CIRIO (IT/EPP)") {
		t.Error("body lacks the PDF's text")
	}
	if _, err := Parse("x.pdf", readTestdata(t, "testdata/formats/opinion.pdf"), []byte("kind: memo\n")); err == nil ||
		!strings.Contains(err.Error(), "sidecar metadata") {
		t.Errorf("bad sidecar error = %v, want a sidecar metadata error", err)
	}
}

func FuzzPDFText(f *testing.F) {
	for _, fx := range pdfFixtures {
		b := readTestdata(f, "testdata/formats/"+fx.file)
		f.Add(b)
	}
	f.Add(pdfOf("<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		"<< /Length 26 >>\nstream\nBT /F1 12 Tf (hello) Tj ET\nendstream", "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"))
	f.Fuzz(func(t *testing.T, b []byte) {
		_, err := pdfText(b)
		if err != nil && strings.Contains(err.Error(), "\n") {
			t.Errorf("error has several lines: %q", err)
		}
	})
}

// pdfOf builds a small PDF from its objects (numbered from 1, the first
// being the catalog), with a correct cross-reference table.
func pdfOf(objs ...string) []byte {
	var b strings.Builder
	b.WriteString("%PDF-1.4\n")
	offs := make([]int, len(objs))
	for i, o := range objs {
		offs[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return []byte(b.String())
}

// TestPDFTextType0 reads a CID font with two-byte codes (Identity-H), as
// Word writes them, each word placed by its own text matrix: where a word
// ends, and so whether a gap follows, is known only from the widths in /W
// and /DW.
func TestPDFTextType0(t *testing.T) {
	cmap := "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n1 begincodespacerange <0000> <FFFF> endcodespacerange\n" +
		"1 beginbfrange <0020> <007E> <0020> endbfrange\nendcmap CMapName currentdict /CMap defineresource pop end end"
	content := "BT /F1 10 Tf 1 0 0 1 72 700 Tm <00480065006C006C006F> Tj ET BT /F1 10 Tf 1 0 0 1 90 700 Tm <0077006F0072006C0064> Tj ET " +
		"BT /F1 10 Tf 1 0 0 1 72 686 Tm <0048> Tj ET BT /F1 10 Tf 1 0 0 1 75 686 Tm <0069> Tj ET"
	b := pdfOf("<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content), content),
		"<< /Type /Font /Subtype /Type0 /BaseFont /Test /Encoding /Identity-H /DescendantFonts [6 0 R] /ToUnicode 7 0 R >>",
		"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Test /DW 300 /W [72 [300 300]] >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(cmap), cmap))
	got, err := pdfText(b)
	if err != nil {
		t.Fatal(err)
	}
	if want := "Hello world\nHi"; got != want {
		t.Errorf("pdfText = %q, want %q", got, want)
	}
}

// TestPDFTextPageNumbers: page numbers alone on a line at the top or
// bottom of a page are dropped, numbers in the text are kept.
func TestPDFTextPageNumbers(t *testing.T) {
	page := func(content string) string {
		return fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content), content)
	}
	b := pdfOf("<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>",
		"<< /Type /Page /Parent 2 0 R /Contents 5 0 R /Resources << /Font << /F1 7 0 R >> >> >>",
		"<< /Type /Page /Parent 2 0 R /Contents 6 0 R /Resources << /Font << /F1 7 0 R >> >> >>",
		page("BT /F1 10 Tf 72 700 Td (First page text.) Tj 0 -14 Td (2024) Tj 0 -600 Td (1) Tj ET"),
		page("BT /F1 10 Tf 72 780 Td (Page 2 of 2) Tj 0 -80 Td (Second page.) Tj ET"),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
	got, err := pdfText(b)
	if err != nil {
		t.Fatal(err)
	}
	if want := "First page text.\n2024\n\nSecond page."; got != want {
		t.Errorf("pdfText = %q, want %q", got, want)
	}
}

// TestPDFTextHostile: page trees that loop must give an error, not hang.
func TestPDFTextHostile(t *testing.T) {
	const (
		catalog = "<< /Type /Catalog /Pages 2 0 R >>"
		content = "<< /Length 26 >>\nstream\nBT /F1 12 Tf (hello) Tj ET\nendstream"
		font    = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
	)
	tests := []struct {
		name    string
		pdf     []byte
		want    string
		wantErr string
	}{
		{"minimal valid", pdfOf(catalog, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
			"<< /Type /Page /Parent 2 0 R /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>", content, font), "hello", ""},
		{"kids loop", pdfOf(catalog, "<< /Type /Pages /Kids [2 0 R] /Count 1 >>"), "", "pdf: page tree nested more than 32 deep (a loop?)"},
		{"kids fan-out loop", pdfOf(catalog, "<< /Type /Pages /Kids [2 0 R 2 0 R 2 0 R] /Count 3 >>"), "", "pdf: "},
		{"parent loop", pdfOf(catalog, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
			"<< /Type /Page /Parent 3 0 R /Contents 4 0 R >>", content), "", "pdf: page's /Parent chain loops"},
		{"length refers to itself", pdfOf(catalog, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
			"<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>", "<< /Length 4 0 R >>\nstream\nBT (hello) Tj ET\nendstream"), "", "pdf: "},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := pdfText(tc.pdf)
			if tc.wantErr != "" {
				if err == nil || !strings.HasPrefix(err.Error(), tc.wantErr) {
					t.Fatalf("pdfText = %q, %v; want error %q", got, err, tc.wantErr)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Errorf("pdfText = %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}

func TestJoinPages(t *testing.T) {
	tests := []struct{ in, want string }{
		{"inter-\nnational cooperation", "international cooperation"},
		{"Emilia-\nRomagna", "Emilia-\nRomagna"},
		{"2019-\n2024", "2019-\n2024"},
		{"line one\nline two\n\n• item", "line one\nline two\n\n- item"},
		{"ends with -\nnext", "ends with -\nnext"},
		{"la coopera-\nzione è inter-\nnazionale", "la cooperazione è internazionale"},
		{"à-\nb", "àb"},
		{"ax-\nà propos", "axà propos"},
		{"-\nb", "-\nb"},
	}
	for _, tc := range tests {
		if got := joinPages(tc.in); got != tc.want {
			t.Errorf("joinPages(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestPDFRunningHeaders: a header and a footer printed on every page go,
// page numbers and all, and a sentence running on to the next page stays
// one paragraph.
func TestPDFRunningHeaders(t *testing.T) {
	page := func(n int, body string) string {
		content := fmt.Sprintf("BT /F1 10 Tf 72 780 Td (Comitato europeo delle regioni - COR-2024-00123) Tj 0 -60 Td (%s) Tj 0 -600 Td (Pagina %d - Pie di pagina) Tj ET", body, n)
		return fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content), content)
	}
	b := pdfOf("<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R 4 0 R 5 0 R] /Count 3 >>",
		"<< /Type /Page /Parent 2 0 R /Contents 6 0 R /Resources << /Font << /F1 9 0 R >> >> >>",
		"<< /Type /Page /Parent 2 0 R /Contents 7 0 R /Resources << /Font << /F1 9 0 R >> >> >>",
		"<< /Type /Page /Parent 2 0 R /Contents 8 0 R /Resources << /Font << /F1 9 0 R >> >> >>",
		page(1, "Parere sulla trasparenza dei dati entro"),
		page(2, "novembre 2024, come previsto."),
		page(3, "Il Comitato chiede una revisione."),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
	got, err := pdfText(b)
	if err != nil {
		t.Fatal(err)
	}
	if want := "Parere sulla trasparenza dei dati entro\nnovembre 2024, come previsto.\n\nIl Comitato chiede una revisione."; got != want {
		t.Errorf("pdfText = %q, want %q", got, want)
	}
}

// TestPDFRunningLinesKeepText: lines that repeat only in their shape are
// text: the rows of a table of figures at the top of each page, and
// "Articolo 1", "Articolo 2" at the ends of two pages; and a document whose
// pages hold only a repeated line keeps it.
func TestPDFRunningLinesKeepText(t *testing.T) {
	pages := []string{
		"2021 1.410.200 1.390.000\n2022 1.512.000 1.498.300\nThe budget grew.",
		"2023 1.600.000 1.587.000\n2024 1.710.000 1.702.400\nThe budget grew again.",
		"2025 1.800.000 1.790.000\n2026 1.900.000 1.880.100\nIt will grow.",
	}
	if got := dropRunningLines(pages); !slices.Equal(got, pages) {
		t.Errorf("table pages: %q, want them whole", got)
	}
	act := []string{"Articolo 1\nLa legge si applica.", "Articolo 2\nEntra in vigore subito."}
	if got := dropRunningLines(act); !slices.Equal(got, act) {
		t.Errorf("act pages: %q, want them whole", got)
	}
	only := []string{"Comitato europeo delle regioni", "Comitato europeo delle regioni"}
	if got := dropRunningLines(only); !slices.Equal(got, only) {
		t.Errorf("pages of a header only: %q, want them as they are", got)
	}
	one := []string{"Comitato europeo delle regioni\nUna pagina sola."}
	if got := dropRunningLines(one); !slices.Equal(got, one) {
		t.Errorf("one page: %q", got)
	}
}

// TestPDFPageNumbers: a footer or header that is only the page's number
// ("– 2 –", "2") goes when the numbers count the pages (from any first
// number: a cover page has none); lone numbers that do not count the pages
// stay.
func TestPDFPageNumbers(t *testing.T) {
	tests := []struct {
		name        string
		pages, want []string
	}{
		{"dashes", []string{"One;\n– 1 –", "Two.\n– 2 –", "Three.\n– 3 –"}, []string{"One;", "Two.", "Three."}},
		{"cover page", []string{"Cover", "2\nBody a", "Body b\n3"}, []string{"Cover", "Body a", "Body b"}},
		{"of pages", []string{"A\n1/3", "B\n2/3", "C\n3/3"}, []string{"A", "B", "C"}},
		{"figures", []string{"A\n12", "B\n7", "C\n40"}, []string{"A\n12", "B\n7", "C\n40"}},
		{"one numbered", []string{"A\n1", "B", "C", "D"}, []string{"A\n1", "B", "C", "D"}},
		{"years", []string{"Revenue by year\n2022", "2023\nRevenue rose."}, []string{"Revenue by year\n2022", "2023\nRevenue rose."}},
		{"recitals", []string{"Whereas:\n(1)", "(2)\nThe act.", "(3)\nMore."}, []string{"Whereas:\n(1)", "(2)\nThe act.", "(3)\nMore."}},
	}
	for _, tc := range tests {
		if got := dropRunningLines(tc.pages); !slices.Equal(got, tc.want) {
			t.Errorf("%s: dropRunningLines = %q, want %q", tc.name, got, tc.want)
		}
	}
}

// TestPDFFooterAndWrappedTitle reads a PDF LibreOffice made of a EUR-Lex
// regulation (testdata/formats/eurlex-footer.fodt), with a running header,
// a "– n –" footer and a title the layout wraps: the footer goes, and the
// title is the whole title the document information gives.
func TestPDFFooterAndWrappedTitle(t *testing.T) {
	b := []byte(readFixture(t, "formats/eurlex-footer.pdf"))
	docs, err := Parse("formats/eurlex-footer.pdf", b, nil)
	if err != nil {
		t.Fatal(err)
	}
	d := docs[0]
	if d.Title != "COMMISSION IMPLEMENTING REGULATION (EU) 2026/425" {
		t.Errorf("title = %q, want the regulation's whole title", d.Title)
	}
	for _, l := range strings.Split(d.Body, "\n") {
		if strings.HasPrefix(l, "–") || strings.Contains(l, "Official Journal of the European Union — L series") {
			t.Errorf("body keeps the running line %q", l)
		}
	}
	for _, want := range []string{"THE EUROPEAN COMMISSION,", "publication in the Official Journal of the European Union."} {
		if !strings.Contains(d.Body, want) {
			t.Errorf("body lacks %q", want)
		}
	}
	// A sidecar's title is the staff's: it stays.
	docs, err = Parse("formats/eurlex-footer.pdf", b, []byte("title: Poultry from Canada\n"))
	if err != nil || docs[0].Title != "Poultry from Canada" {
		t.Errorf("with a sidecar title: %q, %v", docs[0].Title, err)
	}
}
