package indexer

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/text/language"
	"gopkg.in/yaml.v3"
)

// maxFrontMatter bounds the YAML a document may carry, so that a huge or
// deeply nested header cannot exhaust memory.
const maxFrontMatter = 64 << 10

// meta is document metadata given by staff, as YAML front matter at the top of
// a text or Markdown file or as a sidecar file next to a PDF or DOCX. Every
// field it sets overrides what the parser inferred.
type meta struct {
	ID         string      `yaml:"id"`
	Kind       string      `yaml:"kind"`
	Title      string      `yaml:"title"`
	Reference  string      `yaml:"reference"`
	References []string    `yaml:"references"`
	Language   string      `yaml:"language"`
	Lang       string      `yaml:"lang"`
	Date       string      `yaml:"date"`
	Rapporteur *Rapporteur `yaml:"rapporteur"`
	Commission string      `yaml:"commission"`
	Session    string      `yaml:"session"`
	Status     string      `yaml:"status"`
	Summary    string      `yaml:"summary"`
	Tags       []string    `yaml:"tags"`
	URL        string      `yaml:"url"`
	// Plan, Country and Region are a commitment's action plan, country and
	// region of the world (other kinds have none).
	Plan    string `yaml:"plan"`
	Country string `yaml:"country"`
	Region  string `yaml:"region"`
}

// frontMatterKeys are the fields of front matter: meta's yaml names.
var frontMatterKeys = func() []string {
	var keys []string
	mt := reflect.TypeFor[meta]()
	for i := range mt.NumField() {
		keys = append(keys, mt.Field(i).Tag.Get("yaml"))
	}
	return keys
}()

// UnmarshalYAML lets the rapporteur be given as a plain name.
func (r *Rapporteur) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		r.Name = n.Value
		return nil
	}
	var v struct {
		Name    string `yaml:"name"`
		Country string `yaml:"country"`
		Group   string `yaml:"group"`
		Role    string `yaml:"role"`
	}
	if err := n.Decode(&v); err != nil {
		return err
	}
	*r = Rapporteur(v)
	return nil
}

// splitFrontMatter separates a leading YAML block delimited by "---" lines
// from the body. It returns a nil meta when there is none.
func splitFrontMatter(text string) (*meta, string, error) {
	t := strings.TrimPrefix(text, "\ufeff")
	if !strings.HasPrefix(t, "---\n") && !strings.HasPrefix(t, "---\r\n") {
		return nil, text, nil
	}
	rest := t[strings.IndexByte(t, '\n')+1:]
	end := -1
	for off := 0; off < len(rest); {
		nl := strings.IndexByte(rest[off:], '\n')
		line := rest[off:]
		if nl >= 0 {
			line = rest[off : off+nl]
		}
		if l := strings.TrimRight(line, " \r"); l == "---" || l == "..." {
			end = off
			break
		}
		if nl < 0 {
			break
		}
		off += nl + 1
	}
	if end < 0 {
		// A lone "---" at the top is a Markdown rule, not front matter,
		// unless what follows it is a "key: value" line of front matter.
		first, _, _ := strings.Cut(strings.TrimLeft(rest, "\r\n"), "\n")
		if k, _, ok := strings.Cut(first, ":"); ok && slices.Contains(frontMatterKeys, strings.TrimSpace(k)) {
			return nil, "", errors.New("front matter is not closed: add a line --- after its last field")
		}
		return nil, text, nil
	}
	block := rest[:end]
	body := rest[end:]
	body = body[min(len(body), strings.IndexByte(body+"\n", '\n')+1):]
	m, err := parseMeta([]byte(block), 2) // after the opening ---
	if err != nil {
		return nil, "", fmt.Errorf("front matter: %w", err)
	}
	return m, body, nil
}

// yamlLine is a line number in a yaml.v3 error.
var yamlLine = regexp.MustCompile(`\bline \d+`)

// parseMeta decodes a YAML metadata block, whose first line is line first
// of its file (for the line an error names).
func parseMeta(b []byte, first int) (*meta, error) {
	if len(b) > maxFrontMatter {
		return nil, fmt.Errorf("metadata is %d bytes, more than the %d allowed", len(b), maxFrontMatter)
	}
	var m meta
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(b))
	err := dec.Decode(&doc)
	if err == nil {
		err = doc.Decode(&m)
	}
	if err != nil && !errors.Is(err, io.EOF) {
		// yaml.v3 gives the reason on the lines after "unmarshal errors:",
		// and counts lines from the block's first.
		msg := yamlLine.ReplaceAllStringFunc(strings.Join(strings.Fields(err.Error()), " "), func(l string) string {
			n, _ := strconv.Atoi(strings.TrimPrefix(l, "line "))
			return "line " + strconv.Itoa(n+first-1)
		})
		return nil, fmt.Errorf("invalid YAML: %s", msg)
	}
	if err := checkKeys(&doc, first); err != nil {
		return nil, err
	}
	for _, l := range []*string{&m.Language, &m.Lang} {
		if *l == "" {
			continue
		}
		code, err := languageCode(*l)
		if err != nil {
			return nil, err
		}
		*l = code
	}
	if m.Kind != "" {
		switch m.Kind = strings.ToLower(strings.TrimSpace(m.Kind)); m.Kind {
		case KindOpinion, KindFactsheet, KindCommitment, KindPage:
		default:
			return nil, fmt.Errorf("unknown kind %q (want opinion, factsheet, commitment or page)", m.Kind)
		}
	}
	if m.Date != "" {
		d, ok := parseDate(m.Date)
		if !ok {
			return nil, fmt.Errorf("date %q is not a date (want YYYY-MM-DD)", m.Date)
		}
		m.Date = d
	}
	return &m, nil
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// languageCode returns the ISO 639 code that a front matter's language
// gives: a code ("it", "EN") or a language's name ("Italian", "italiano").
func languageCode(v string) (string, error) {
	low := strings.ToLower(strings.TrimSpace(v))
	if i := strings.IndexAny(low, "-_"); i > 0 {
		low = low[:i] // en-GB, it_IT
	}
	if code, ok := languageNames[facetKey(low)]; ok {
		return code, nil
	}
	if n := len(low); (n == 2 || n == 3) && strings.Trim(low, "abcdefghijklmnopqrstuvwxyz") == "" {
		if b, err := language.ParseBase(low); err == nil {
			return b.String(), nil // "deu" is "de"
		}
		return low, nil
	}
	return "", fmt.Errorf("language %q is not a language code (want one such as en or it)", v)
}

// kindLang returns the kind and language m states, if any (m may be nil).
func (m *meta) kindLang() (kind, lang string) {
	if m == nil {
		return "", ""
	}
	return m.Kind, strings.ToLower(strings.TrimSpace(cmp.Or(m.Language, m.Lang)))
}

// apply overrides d's fields with those m sets.
func (m *meta) apply(d *Document) {
	set := func(dst *string, v string) {
		if v = strings.TrimSpace(v); v != "" {
			*dst = v
		}
	}
	set(&d.ID, slugOrEmpty(m.ID))
	set(&d.Kind, m.Kind)
	set(&d.Title, m.Title)
	set(&d.Reference, m.Reference)
	set(&d.Language, strings.ToLower(m.Lang))
	set(&d.Language, strings.ToLower(m.Language))
	set(&d.Date, m.Date)
	set(&d.Commission, m.Commission)
	set(&d.Session, m.Session)
	set(&d.Status, m.Status)
	set(&d.Summary, m.Summary)
	set(&d.URL, m.URL)
	if m.Rapporteur != nil && m.Rapporteur.Name != "" {
		d.Rapporteur = m.Rapporteur
	}
	if len(m.Tags) > 0 {
		d.Tags = m.Tags
	}
	for _, r := range m.References {
		if !slices.Contains(d.References, r) {
			d.References = append(d.References, r)
		}
	}
	if d.Kind == KindCommitment && (strings.TrimSpace(m.Plan) != "" || strings.TrimSpace(m.Country) != "" || strings.TrimSpace(m.Region) != "") {
		if d.Commitment == nil {
			d.Commitment = &Commitment{}
		}
		set(&d.Commitment.ActionPlan, m.Plan)
		set(&d.Commitment.Country, m.Country)
		set(&d.Commitment.Region, m.Region)
	}
}

func slugOrEmpty(s string) string {
	if wordChars(s) == 0 {
		return "" // blank, or only dots and dashes ("..", which names no page)
	}
	return slug(s)
}

// checkKeys refuses a key that is a misspelling of a front-matter key
// ("titel", "langauge", "tag"): its value would otherwise be ignored without
// a word. Other keys (a site generator's "layout" or "draft") are ignored.
func checkKeys(doc *yaml.Node, first int) error {
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil
	}
	fields := doc.Content[0].Content
	for i := 0; i+1 < len(fields); i += 2 {
		k := fields[i].Value
		if slices.Contains(frontMatterKeys, k) {
			continue
		}
		if known := slipOf(strings.ToLower(k), frontMatterKeys); known != "" {
			return fmt.Errorf("unknown key %q on line %d: did you mean %q?", k, fields[i].Line+first-1, known)
		}
	}
	return nil
}

// slipOf returns the one of known that word is most likely a slip of: the
// same but for a final "s" ("tag" for "tags", "themes" for "theme"), or, for
// a word of four letters or more, one letter inserted, deleted, changed or
// swapped ("titel", "langauge", "contry"); the nearest, then the first. It
// returns "" when there is none: "version" is not "session", nor "uid" "id".
// The caller lower-cases word if case is a slip too.
func slipOf(word string, known []string) string {
	best, bestD := "", 2
	for _, k := range known {
		d := 2
		switch {
		case word == k, word+"s" == k, word == k+"s":
			d = 0
		case len(word) >= 4 && editDistance(word, k) == 1:
			d = 1
		}
		if d < bestD {
			best, bestD = k, d
		}
	}
	return best
}

// editDistance counts the letters to insert, delete, change or swap with the
// next one to turn a into b (optimal string alignment distance).
func editDistance(a, b string) int {
	x, y := []rune(a), []rune(b)
	d := make([][]int, len(x)+1)
	for i := range d {
		d[i] = make([]int, len(y)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(x); i++ {
		for j := 1; j <= len(y); j++ {
			cost := 1
			if x[i-1] == y[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && x[i-1] == y[j-2] && x[i-2] == y[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(x)][len(y)]
}
