package indexer

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"hash/crc32"
	"io"
	"slices"
	"strings"
	"testing"
)

func TestDocxText(t *testing.T) {
	tests := []struct {
		file string
		want []string // passages, in this order
		not  []string
	}{
		{
			// LibreOffice's conversion of the seed opinion (see testdata/formats/SOURCE.md).
			file: "opinion.docx",
			want: []string{
				"European Committee\nof the Regions\n\nECON-VII/038\n\n163rd plenary session, 20-21 November 2024\n\n## OPINION\n\n### Challenges and opportunities of artificial intelligence in the public sector: defining the role of regional and local authorities\n\n#### THE EUROPEAN COMMITTEE OF THE REGIONS\n\n- stresses that local and regional authorities are key actors",
				"(3)\n- stresses the importance of adopting an approach",
				"Alberto CIRIO (IT/EPP), President of the Piedmont Region",
				"#### Funding and resources for AI uptake",
				"Brussels, 21 November 2024.",
				"## II. PROCEDURE",
			},
		},
		{
			file: "scheda.docx",
			want: []string{
				"# Milano Trasparente\n\nAzione del terzo Piano d'azione nazionale per l'Open Government (2016-2018), proposta dal Comune di Milano.\n\n## Obiettivi\n\n" +
					"- pubblicare in un unico luogo gli atti del Consiglio comunale e dei Municipi;\n- rendere consultabili presenze e voti dei consiglieri;\n\n" +
					"## Tempi e responsabili\n\nAttività | Responsabile | Scadenza\nAnagrafe degli eletti | Comune di Milano | settembre 2017\n" +
					"Dati aperti sulle sedute | Municipi | giugno 2018\n\nPer informazioni: Ufficio trasparenza.",
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			got, err := docxText(readTestdata(t, "testdata/formats/"+tc.file))
			if err != nil {
				t.Fatalf("docxText: %v", err)
			}
			rest := got
			for _, s := range tc.want {
				i := strings.Index(rest, s)
				if i < 0 {
					t.Fatalf("text lacks (or has out of order) %q\ngot:\n%s", s, got)
				}
				rest = rest[i+len(s):]
			}
		})
	}
}

// docxOf builds a DOCX archive in memory from its document.xml body.
func docxOf(t testing.TB, body string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create("word/document.xml")
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>`+body+`</w:body></w:document>`)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestDocxTextCases(t *testing.T) {
	tests := []struct {
		name, body, want string
	}{
		{
			name: "tracked deletion, tab, outline level, field code",
			body: `<w:p><w:pPr><w:outlineLvl w:val="0"/><w:tabs><w:tab w:val="left" w:pos="709"/></w:tabs></w:pPr><w:r><w:t>Titolo</w:t></w:r></w:p>` +
				`<w:p><w:r><w:t>Kept</w:t></w:r><w:del><w:r><w:delText>Deleted</w:delText></w:r></w:del><w:r><w:tab/><w:t>after tab</w:t></w:r>` +
				`<w:r><w:instrText>HYPERLINK "x"</w:instrText></w:r></w:p>`,
			want: "# Titolo\n\nKept after tab",
		},
		{
			name: "nested table goes into its cell",
			body: `<w:tbl><w:tr><w:tc><w:p><w:r><w:t>A</w:t></w:r></w:p></w:tc><w:tc><w:tbl><w:tr><w:tc><w:p><w:r><w:t>x</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>y</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:tc></w:tr></w:tbl>` +
				`<w:p><w:r><w:t>After</w:t></w:r></w:p>`,
			want: "A | x y\n\nAfter",
		},
		{
			name: "tracked move: the text once, at its new place",
			body: `<w:p><w:moveFrom><w:r><w:t>Moved sentence.</w:t></w:r></w:moveFrom><w:r><w:t>Stays.</w:t></w:r></w:p>` +
				`<w:p><w:moveTo><w:r><w:t>Moved sentence.</w:t></w:r></w:moveTo></w:p>`,
			want: "Stays.\n\nMoved sentence.",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := docxText(docxOf(t, tc.body))
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("docxText = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestDocxTextErrors(t *testing.T) {
	var noDoc bytes.Buffer
	zw := zip.NewWriter(&noDoc)
	zw.Create("word/styles.xml")
	zw.Close()
	var empty bytes.Buffer
	zip.NewWriter(&empty).Close()
	var xlsx bytes.Buffer
	zw = zip.NewWriter(&xlsx)
	zw.Create("xl/workbook.xml")
	zw.Close()
	tests := []struct {
		name    string
		in      []byte
		wantErr string
	}{
		{"not a zip", []byte("\x01\x02 binary"), "docx: not a DOCX file (zip: not a valid zip file)"},
		{"text", []byte("plain text"), "docx: not a DOCX file: it is plain text"},
		{"old Word file", append([]byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"), make([]byte, 600)...), "docx: not a DOCX file: it is an old Office file (.doc, .xls or .ppt from Office 97-2003)"},
		{"PDF", []byte("%PDF-1.7\n%%EOF"), "docx: not a DOCX file: it is a PDF file"},
		{"PDF after a byte-order mark", []byte("\xef\xbb\xbf%PDF-1.7\n%%EOF"), "docx: not a DOCX file: it is a PDF file"},
		{"Excel file", xlsx.Bytes(), "docx: not a DOCX file: it is an Excel .xlsx file"},
		{"no document.xml", noDoc.Bytes(), "docx: no word/document.xml in the archive"},
		{"empty zip", empty.Bytes(), "docx: no word/document.xml in the archive"},
		{"empty document", docxOf(t, ""), "docx: no text in document"},
		{"broken xml", docxOf(t, "<w:p><w:r><w:t>x</w:r>"), "docx: document.xml: "},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := docxText(tc.in)
			if err == nil || !strings.HasPrefix(err.Error(), tc.wantErr) {
				t.Errorf("docxText error = %v, want %q...", err, tc.wantErr)
			}
		})
	}
}

// TestDocxTextZipBomb: 200 MB of zeros deflate to about 200 KB; docxText
// must refuse them without inflating them, whether the archive declares the
// real size or lies about it.
func TestDocxTextZipBomb(t *testing.T) {
	const size = 200 << 20
	var comp bytes.Buffer
	fw, _ := flate.NewWriter(&comp, flate.BestSpeed)
	zeros := make([]byte, 1<<20)
	crc := crc32.NewIEEE()
	for i := 0; i < size>>20; i++ {
		fw.Write(zeros)
		crc.Write(zeros)
	}
	fw.Close()
	build := func(declared uint64) []byte {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		w, err := zw.CreateRaw(&zip.FileHeader{
			Name: "word/document.xml", Method: zip.Deflate, CRC32: crc.Sum32(),
			CompressedSize64: uint64(comp.Len()), UncompressedSize64: declared,
		})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(comp.Bytes())
		zw.Close()
		return buf.Bytes()
	}
	honest := build(size)
	if len(honest) > 1<<20 {
		t.Fatalf("bomb is %d bytes, expected a small archive", len(honest))
	}
	if _, err := docxText(honest); err == nil || err.Error() != "docx: word/document.xml larger than 50 MB" {
		t.Errorf("honest bomb: error = %v, want %q", err, "docx: word/document.xml larger than 50 MB")
	}
	// A header claiming 1 KB: reading stops at the cap (or where the zip
	// reader notices the lie) and the error names the part.
	if _, err := docxText(build(1024)); err == nil || !strings.HasPrefix(err.Error(), "docx: word/document.xml") {
		t.Errorf("lying bomb: error = %v, want a docx: word/document.xml error", err)
	}
}

func FuzzDocxText(f *testing.F) {
	for _, file := range []string{"scheda.docx", "opinion.docx"} {
		f.Add(readTestdata(f, "testdata/formats/"+file))
	}
	f.Add(docxOf(f, `<w:p><w:pPr><w:numPr/></w:pPr><w:r><w:t>x</w:t></w:r></w:p>`))
	f.Fuzz(func(t *testing.T, b []byte) {
		_, err := docxText(b)
		if err != nil && strings.Contains(err.Error(), "\n") {
			t.Errorf("error has several lines: %q", err)
		}
	})
}

// TestDocxNumberedOpinion reads the opinion saved from Word, whose
// paragraphs are numbered by Word's automatic numbering: it is an opinion
// with the same 54 numbered paragraphs as the CoR site's text of it.
func TestDocxNumberedOpinion(t *testing.T) {
	docs, err := Parse("opinion.docx", readTestdata(t, "testdata/formats/opinion.docx"), nil)
	if err != nil || len(docs) != 1 {
		t.Fatalf("Parse: %v", err)
	}
	d, site := docs[0], parseFixture(t, seedName(t, "004"))
	if d.Kind != KindOpinion || d.Reference != "ECON-VII/038" || len(d.Paragraphs) != len(site.Paragraphs) || len(site.Paragraphs) != 54 {
		t.Fatalf("opinion.docx: kind %s, reference %q, %d paragraphs; want an opinion ECON-VII/038 with the site's %d", d.Kind, d.Reference, len(d.Paragraphs), len(site.Paragraphs))
	}
	for _, n := range []int{1, 7, 32, 54} {
		got, want := strings.Fields(d.Paragraphs[n-1].Text), strings.Fields(site.Paragraphs[n-1].Text)
		if len(got) < 5 || !slices.Equal(got[:5], want[:5]) {
			t.Errorf("paragraph %d starts %q, the site's %q", n, got[:min(5, len(got))], want[:5])
		}
	}
}

// TestDocxFootnotes: a footnote's text is kept, at the end, numbered in the
// order the text cites it, with its mark where it is cited.
func TestDocxFootnotes(t *testing.T) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range map[string]string{
		"word/document.xml": `<w:p><w:r><w:t>The regulation</w:t></w:r><w:r><w:footnoteReference w:id="2"/></w:r><w:r><w:t> applies.</w:t></w:r></w:p>`,
		"word/footnotes.xml": `<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>` +
			`<w:footnote w:id="2"><w:p><w:r><w:t>Regulation (EU) 2016/679.</w:t></w:r></w:p><w:p><w:r><w:t>See also its recitals.</w:t></w:r></w:p></w:footnote>`,
	} {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		root := "document"
		if strings.Contains(name, "footnotes") {
			root = "footnotes"
		}
		io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><w:`+root+` xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>`+body+`</w:body></w:`+root+`>`)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	got, err := docxText(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if want := "The regulation ( 1 ) applies.\n\n( 1 ) Regulation (EU) 2016/679. See also its recitals."; got != want {
		t.Errorf("docxText = %q, want %q", got, want)
	}
}
