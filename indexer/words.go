package indexer

import (
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
	"github.com/blevesearch/segment"
)

// wordsName is the tokenizer of Archivio's own analyzers (see newMapping).
// It gives the tokens bleve's unicode tokenizer gives (Unicode word
// boundaries, UAX #29: same terms, offsets, positions and types), but the
// text between two ASCII white-space characters that is ASCII letters and
// digits with punctuation before or after them, as most words of most
// texts are, it reads itself; only the rest goes through the segmenter.
// Indexing 100,000 Europarl documents, the segmenter was a tenth of the
// CPU time (see BENCHMARKS.md).
//
// Nothing reaches across ASCII white space in the segmenter's rules (UAX
// #29 of Unicode 8.0) but combining marks (and format characters), which
// attach to the white space before them: a stretch that begins with a byte
// past ASCII is segmented with the white space before it.
const wordsName = "archivio_words"

func init() {
	if err := registry.RegisterTokenizer(wordsName, func(map[string]any, *registry.Cache) (analysis.Tokenizer, error) {
		return wordsTokenizer{}, nil
	}); err != nil {
		panic(err)
	}
}

type wordsTokenizer struct{}

func (wordsTokenizer) Tokenize(input []byte) analysis.TokenStream {
	// About one word in six bytes of text, as in English and Italian.
	est := len(input)/6 + 1
	t := tokens{pos: 1, out: make(analysis.TokenStream, 0, est), block: make([]analysis.Token, est)}
	if !utf8.Valid(input) {
		// The segmenter reads bytes that are not UTF-8 in ways of its
		// own (it can stop there, or take the next word with them).
		// Archivio's parsers give UTF-8.
		t.segment(input, 0, len(input))
		return t.out
	}
	for i := 0; i < len(input); {
		if asciiSpace(input[i]) {
			i++
			continue
		}
		j := i
		for j < len(input) && !asciiSpace(input[j]) {
			j++
		}
		if start, end, ok := plainWord(input[i:j]); ok {
			if end > start {
				t.add(input, i+start, i+end, wordType(input[i+start:i+end]))
			}
		} else {
			from := i
			if input[i] >= 0x80 && i > 0 {
				from = i - 1
			}
			t.segment(input, from, j)
		}
		i = j
	}
	return t.out
}

// tokens collects a token stream, allocating its tokens in blocks as
// bleve's tokenizer does.
type tokens struct {
	out   analysis.TokenStream
	block []analysis.Token
	pos   int
}

func (t *tokens) add(input []byte, start, end int, typ analysis.TokenType) {
	if len(t.block) == 0 {
		t.block = make([]analysis.Token, (len(input)-start)/6+1)
	}
	tok := &t.block[0]
	t.block = t.block[1:]
	tok.Term, tok.Start, tok.End, tok.Position, tok.Type = input[start:end], start, end, t.pos, typ
	t.pos++
	t.out = append(t.out, tok)
}

// segment adds the words of input[from:to] as the Unicode segmenter finds them.
func (t *tokens) segment(input []byte, from, to int) {
	s := segment.NewWordSegmenterDirect(input[from:to])
	start := from
	for s.Segment() {
		end := start + len(s.Bytes())
		if s.Type() != segment.None {
			typ := analysis.AlphaNumeric
			switch s.Type() {
			case segment.Ideo, segment.Kana:
				typ = analysis.Ideographic
			case segment.Number:
				typ = analysis.Numeric
			}
			t.add(input, start, end, typ)
		}
		start = end
	}
}

// plainWord reports whether b (no white space in it) is ASCII letters and
// digits with ASCII punctuation before and after them, and where they are
// (start == end: punctuation only). "_" joins words in UAX #29, so it is
// not taken for punctuation here.
func plainWord(b []byte) (start, end int, ok bool) {
	i := 0
	for i < len(b) && asciiPunct(b[i]) {
		i++
	}
	start = i
	for i < len(b) && asciiAlnum(b[i]) {
		i++
	}
	end = i
	for i < len(b) && asciiPunct(b[i]) {
		i++
	}
	return start, end, i == len(b)
}

// wordType is the type the segmenter gives ASCII letters and digits:
// numeric when they are all digits.
func wordType(w []byte) analysis.TokenType {
	for _, c := range w {
		if c > '9' {
			return analysis.AlphaNumeric
		}
	}
	return analysis.Numeric
}

func asciiSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

func asciiAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// asciiPunct reports whether c is printable ASCII punctuation or a symbol
// other than "_".
func asciiPunct(c byte) bool {
	return c > ' ' && c < 0x7f && !asciiAlnum(c) && c != '_'
}
