package main

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// corpusLangs are the two Europarl languages, in the order chunks are written.
var corpusLangs = [...]string{"en", "it"}

// session is one Europarl sitting: the aligned lines of both languages.
type session struct {
	Name  string              // ep-YY-MM-DD
	Date  string              // YYYY-MM-DD
	Lines map[string][]string // language -> lines, same count in each
}

// corpusInfo describes a generated corpus; it is saved next to the corpus
// folder (not inside, where the indexer would read it as a document).
type corpusInfo struct {
	Version    int   `json:"version"` // corpusVersion of the generator that wrote it
	Docs       int   `json:"docs"`
	Bytes      int64 `json:"bytes"`
	ChunkLines int   `json:"chunk_lines"`
	// Target is the corpus size the chunk size was chosen for (0 when the
	// chunk size was given): corpora of every size share one chunk size.
	Target   int `json:"target,omitempty"`
	Sessions int `json:"sessions"`
	PerLang  struct {
		EN int `json:"en"`
		IT int `json:"it"`
	} `json:"per_lang"`
}

// corpusVersion changes when the generator writes different files, so that
// a corpus written by an older one is not reused.
const corpusVersion = 2

// readEuroparl unpacks europarl-en.tar.gz and europarl-it.tar.gz from dataDir
// and pairs their sittings. Sittings missing from one language are dropped;
// when the two files of a sitting differ in length, the longer one is cut.
func readEuroparl(ctx context.Context, dataDir string) ([]session, error) {
	byLang := make(map[string]map[string][]string, len(corpusLangs))
	for _, lang := range corpusLangs {
		p := filepath.Join(dataDir, "europarl-"+lang+".tar.gz")
		m, err := readTarGz(ctx, p)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", p, err)
		}
		byLang[lang] = m
	}
	var sessions []session
	for name, en := range byLang["en"] {
		it, ok := byLang["it"][name]
		if !ok {
			continue
		}
		date, ok := sessionDate(name)
		if !ok {
			continue
		}
		n := min(len(en), len(it))
		sessions = append(sessions, session{Name: name, Date: date, Lines: map[string][]string{"en": en[:n], "it": it[:n]}})
	}
	if len(sessions) == 0 {
		return nil, fmt.Errorf("no paired sittings in %s", dataDir)
	}
	sort.Slice(sessions, func(i, j int) bool { return sessions[i].Date+sessions[i].Name < sessions[j].Date+sessions[j].Name })
	return sessions, nil
}

// readTarGz returns the lines of every *.al file in a gzipped tar, keyed by
// the file's base name without extension.
func readTarGz(ctx context.Context, p string) (map[string][]string, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	tr := tar.NewReader(zr)
	out := make(map[string][]string)
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		if h.Typeflag != tar.TypeReg || path.Ext(h.Name) != ".al" {
			continue
		}
		b, err := io.ReadAll(tr)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", h.Name, err)
		}
		text := strings.ReplaceAll(string(b), "\r\n", "\n")
		lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
		out[strings.TrimSuffix(path.Base(h.Name), ".al")] = lines
	}
	return out, nil
}

// sessionDate turns ep-YY-MM-DD (with an optional suffix) into YYYY-MM-DD.
func sessionDate(name string) (string, bool) {
	if len(name) < len("ep-00-00-00") || !strings.HasPrefix(name, "ep-") {
		return "", false
	}
	yy, err1 := strconv.Atoi(name[3:5])
	mm, err2 := strconv.Atoi(name[6:8])
	dd, err3 := strconv.Atoi(name[9:11])
	if err1 != nil || err2 != nil || err3 != nil || name[5] != '-' || name[8] != '-' || mm < 1 || mm > 12 || dd < 1 || dd > 31 {
		return "", false
	}
	year := 2000 + yy
	if yy >= 50 {
		year = 1900 + yy
	}
	return fmt.Sprintf("%04d-%02d-%02d", year, mm, dd), true
}

// chunkCount is the number of documents a sitting of n lines gives in one
// language with chunks of at most size lines.
func chunkCount(n, size int) int {
	if n <= 0 {
		return 0
	}
	return (n + size - 1) / size
}

// chunkBounds returns the lines [start, end) of chunk c of k of a sitting of
// n lines: balanced chunks, whose sizes differ by at most one line.
func chunkBounds(n, k, c int) (int, int) {
	return c * n / k, (c + 1) * n / k
}

// chunkHasText reports whether a chunk has a non-blank line in every
// language. Some sittings have runs of empty aligned lines; such a chunk
// would be a document with no text, which Archivio rightly refuses.
func chunkHasText(s session, start, end int) bool {
	for _, lang := range corpusLangs {
		ok := false
		for _, l := range s.Lines[lang][start:end] {
			if strings.TrimSpace(l) != "" {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// totalDocs is the number of documents, both languages together, that all
// sittings give with chunks of size lines.
func totalDocs(sessions []session, size int) int {
	t := 0
	for _, s := range sessions {
		n := len(s.Lines["en"])
		k := chunkCount(n, size)
		for c := range k {
			if start, end := chunkBounds(n, k, c); chunkHasText(s, start, end) {
				t += len(corpusLangs)
			}
		}
	}
	return t
}

// chooseChunkLines returns the largest chunk size, in lines, with which the
// sittings give at least target documents, or an error when even one line
// per document is not enough.
func chooseChunkLines(sessions []session, target int) (int, error) {
	if totalDocs(sessions, 1) < target {
		return 0, fmt.Errorf("the data gives at most %d documents, fewer than %d", totalDocs(sessions, 1), target)
	}
	lo, hi := 1, 1
	for _, s := range sessions {
		hi = max(hi, len(s.Lines["en"]))
	}
	// totalDocs falls as size grows: find the last size still >= target.
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if totalDocs(sessions, mid) >= target {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return lo, nil
}

// spreadOrder returns the sitting indexes in an order that spreads any prefix
// over the whole period, so a small corpus still spans 1996-2001.
func spreadOrder(n int) []int {
	step := 1
	for _, s := range []int{97, 89, 83, 79, 73, 71, 67, 61, 59, 53, 47, 43, 41, 37, 31, 29, 23, 19, 17, 13, 11, 7, 5, 3} {
		if s < n && gcd(s, n) == 1 {
			step = s
			break
		}
	}
	order := make([]int, n)
	for i := range order {
		order[i] = (i * step) % n
	}
	return order
}

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// corpusDir is where a corpus of docs documents is written under out.
func corpusDir(out string, docs int) string {
	return filepath.Join(out, fmt.Sprintf("corpus-%d", docs))
}

// ensureCorpus writes a corpus of docs documents under out, or reuses the one
// already there when its manifest and its file count agree.
//
// chunkLines 0 means: the largest chunk size with which the whole data gives
// at least refDocs documents, so corpora of every size have documents of the
// same length.
func ensureCorpus(ctx context.Context, logger *slog.Logger, sessions func() ([]session, error), out string, docs, chunkLines, refDocs int) (corpusInfo, error) {
	dir := corpusDir(out, docs)
	manifest := dir + ".json"
	target := 0
	if chunkLines == 0 {
		target = max(docs, refDocs)
	}
	if info, err := readCorpusInfo(manifest); err == nil && info.Version == corpusVersion && info.Docs == docs &&
		info.Target == target && (chunkLines == 0 || info.ChunkLines == chunkLines) {
		if n, err := countFiles(dir); err == nil && n == docs {
			logger.Info("reusing corpus", slog.String("dir", dir), slog.Int("docs", docs))
			return info, nil
		}
	}
	ss, err := sessions()
	if err != nil {
		return corpusInfo{}, err
	}
	if chunkLines == 0 {
		if chunkLines, err = chooseChunkLines(ss, target); err != nil {
			return corpusInfo{}, err
		}
	}
	tmp := dir + ".tmp"
	if err := os.RemoveAll(tmp); err != nil {
		return corpusInfo{}, err
	}
	info, err := writeCorpus(ctx, ss, tmp, docs, chunkLines)
	if err != nil {
		return corpusInfo{}, err
	}
	if err := os.RemoveAll(dir); err != nil {
		return corpusInfo{}, err
	}
	if err := os.Rename(tmp, dir); err != nil {
		return corpusInfo{}, err
	}
	info.Target = target
	b, err := json.MarshalIndent(info, "", "  ")
	if err != nil {
		return corpusInfo{}, err
	}
	if err := os.WriteFile(manifest, append(b, '\n'), 0o644); err != nil {
		return corpusInfo{}, err
	}
	logger.Info("wrote corpus", slog.String("dir", dir), slog.Int("docs", info.Docs), slog.Int("chunk_lines", chunkLines), slog.Int64("bytes", info.Bytes))
	return info, nil
}

func readCorpusInfo(p string) (corpusInfo, error) {
	var info corpusInfo
	b, err := os.ReadFile(p)
	if err != nil {
		return info, err
	}
	err = json.Unmarshal(b, &info)
	return info, err
}

// countFiles counts the regular files under dir.
func countFiles(dir string) (int, error) {
	n := 0
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			n++
		}
		return nil
	})
	return n, err
}

// writeCorpus writes docs Markdown files into dir, taking whole sittings in
// spread order and, within a sitting, the English and Italian versions of
// each chunk one after the other, so the two languages stay paired.
func writeCorpus(ctx context.Context, sessions []session, dir string, docs, chunkLines int) (corpusInfo, error) {
	info := corpusInfo{Version: corpusVersion, ChunkLines: chunkLines}
	for _, si := range spreadOrder(len(sessions)) {
		if info.Docs >= docs {
			break
		}
		if err := ctx.Err(); err != nil {
			return info, err
		}
		s := sessions[si]
		info.Sessions++
		n := len(s.Lines["en"])
		k := chunkCount(n, chunkLines)
		heading := map[string]string{}
		part := 0
		for c := 0; c < k && info.Docs < docs; c++ {
			start, end := chunkBounds(n, k, c)
			if !chunkHasText(s, start, end) {
				continue
			}
			part++
			for _, lang := range corpusLangs {
				if info.Docs >= docs {
					break
				}
				lines := s.Lines[lang]
				title, body := renderChunk(lang, lines[start:end], heading[lang])
				heading[lang] = lastHeading(lang, lines[:end], heading[lang])
				doc := frontMatter(fmt.Sprintf("%s — Europarl sitting %s, part %d", title, s.Date, part), s.Date, lang) + body
				p := filepath.Join(dir, lang, s.Name, fmt.Sprintf("%03d.md", part))
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					return info, err
				}
				if err := os.WriteFile(p, []byte(doc), 0o644); err != nil {
					return info, err
				}
				info.Docs++
				info.Bytes += int64(len(doc))
				if lang == "en" {
					info.PerLang.EN++
				} else {
					info.PerLang.IT++
				}
			}
		}
	}
	if info.Docs < docs {
		return info, fmt.Errorf("the data gives %d documents with %d lines each, fewer than %d", info.Docs, chunkLines, docs)
	}
	return info, nil
}

// frontMatter is the YAML header of a generated document.
func frontMatter(title, date, lang string) string {
	return "---\ntitle: " + yamlQuote(title) + "\ndate: " + date + "\nlanguage: " + lang + "\nkind: page\ntags: [europarl]\n---\n"
}

// yamlQuote writes s as a YAML double-quoted scalar.
func yamlQuote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\t", `\t`)
	return `"` + r.Replace(s) + `"`
}

// renderChunk returns a chunk's title (its first agenda line, or the agenda
// line in force when it starts, or "Europarl") and its Markdown body: agenda
// lines as headings, every other line as a paragraph.
func renderChunk(lang string, lines []string, inForce string) (string, string) {
	var b strings.Builder
	title := ""
	for _, l := range lines {
		l = strings.TrimSpace(l)
		if l == "" {
			continue
		}
		text := detokenize(lang, l)
		b.WriteString("\n")
		if isAgendaLine(l) {
			if title == "" {
				title = text
			}
			b.WriteString("## ")
		}
		b.WriteString(text)
		b.WriteString("\n")
	}
	if title == "" {
		title = inForce
	}
	if title == "" {
		title = "Europarl"
	}
	return title, b.String()
}

// lastHeading returns the last agenda line in lines, detokenised, or prev.
func lastHeading(lang string, lines []string, prev string) string {
	for i := len(lines) - 1; i >= 0; i-- {
		if l := strings.TrimSpace(lines[i]); l != "" && isAgendaLine(l) {
			return detokenize(lang, l)
		}
	}
	return prev
}

// isAgendaLine reports whether a tokenised line looks like an agenda-item
// title: short, starting with a capital, without final punctuation.
func isAgendaLine(l string) bool {
	l = strings.TrimSpace(l)
	if l == "" || strings.Count(l, " ") > 14 {
		return false
	}
	first, _ := utf8.DecodeRuneInString(l)
	if !unicode.IsUpper(first) {
		return false
	}
	last, _ := utf8.DecodeLastRuneInString(l)
	return !strings.ContainsRune(".?!:;,)'\"", last)
}

// englishClitics are the tokens Moses split off an English word.
var englishClitics = map[string]bool{"'s": true, "'re": true, "'ve": true, "'ll": true, "'d": true, "'m": true, "n't": true, "'t": true, "s'": true}

func endsWithLetter(s string) bool {
	r, _ := utf8.DecodeLastRuneInString(s)
	return unicode.IsLetter(r)
}

// detokenize undoes the most visible Moses tokenisation: spaces before
// punctuation and clitics, inside brackets and quotes, and around Italian
// elisions. It is deliberately light: it does not rejoin hyphenated words.
func detokenize(lang string, line string) string {
	toks := strings.Fields(line)
	var b strings.Builder
	glueNext := false // the next token attaches without a space
	dquoteOpen, squoteOpen := false, false
	for i, t := range toks {
		space := b.Len() > 0 && !glueNext
		glueNext = false
		switch {
		case t == "." || t == "," || t == ";" || t == ":" || t == "?" || t == "!" || t == ")" || t == "]" || t == "%" || t == "..." || t == "…":
			space = false
		case englishClitics[strings.ToLower(t)] && i > 0:
			space = false
		case t == "(" || t == "[":
			glueNext = true
		case t == `"`:
			if dquoteOpen {
				space = false
			} else {
				glueNext = true
			}
			dquoteOpen = !dquoteOpen
		case t == "'" && i > 0 && lang == "it" && endsWithLetter(toks[i-1]):
			// Elision ("l ' Unione", "trent ' anni") or an accent written
			// as an apostrophe ("E ' ovvio", "un po ' di").
			space = false
			if p := strings.ToLower(toks[i-1]); p != "e" && p != "po" {
				glueNext = true
			}
		case t == "'" && i > 0 && lang == "en" && !squoteOpen && strings.HasSuffix(toks[i-1], "s"):
			space = false // plural possessive: "farmers ' incomes"
		case t == "'":
			if squoteOpen {
				space = false
			} else {
				glueNext = true
			}
			squoteOpen = !squoteOpen
		}
		if space {
			b.WriteByte(' ')
		}
		b.WriteString(t)
	}
	return b.String()
}
