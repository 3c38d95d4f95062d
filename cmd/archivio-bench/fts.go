package main

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// ftsTokenizer is the FTS5 tokenizer: Unicode word splitting with accents
// folded, and the Porter stemmer, which is English-only. FTS5 has no Italian
// stemmer, so Italian words are stemmed with English rules (or not at all).
const ftsTokenizer = "porter unicode61 remove_diacritics 2"

// ftsSchema keeps the facet fields in an ordinary table, joined to the FTS5
// table by rowid, so that counting facets over many matches reads small
// rows rather than each match's whole text.
const ftsSchema = `
CREATE TABLE IF NOT EXISTS meta(rowid INTEGER PRIMARY KEY, id TEXT NOT NULL, title TEXT NOT NULL, lang TEXT NOT NULL, date TEXT NOT NULL);
CREATE VIRTUAL TABLE IF NOT EXISTS docs USING fts5(title, body, tokenize='` + ftsTokenizer + `');`

// ftsRank is the ranking: bm25 with the title weighted twice the body.
const ftsRank = "bm25(docs, 2.0, 1.0)"

// ftsEngine is SQLite FTS5 through modernc.org/sqlite (pure Go).
type ftsEngine struct {
	db *sql.DB
}

func openFTS(ctx context.Context, dir string) (*ftsEngine, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	p := filepath.Join(dir, "fts.db")
	db, err := sql.Open("sqlite", "file:"+p+"?_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=busy_timeout(5000)&_pragma=cache_size(-32000)")
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", p, err)
	}
	// Some connections per core for concurrent readers (WAL lets them
	// read while nothing writes).
	db.SetMaxOpenConns(2 * runtime.NumCPU())
	db.SetMaxIdleConns(2 * runtime.NumCPU())
	if _, err := db.ExecContext(ctx, ftsSchema); err != nil {
		db.Close()
		return nil, fmt.Errorf("create tables: %w", err)
	}
	return &ftsEngine{db: db}, nil
}

// Index inserts every document, 1000 per transaction, then merges the
// FTS5 b-trees ('optimize') as a one-off bulk load would.
func (e *ftsEngine) Index(ctx context.Context, corpusDir string) (indexStats, error) {
	var st indexStats
	var (
		tx               *sql.Tx
		metaStmt, ftStmt *sql.Stmt
	)
	begin := func() error {
		var err error
		if tx, err = e.db.BeginTx(ctx, nil); err != nil {
			return err
		}
		if metaStmt, err = tx.PrepareContext(ctx, `INSERT INTO meta(rowid, id, title, lang, date) VALUES (?, ?, ?, ?, ?)`); err != nil {
			return err
		}
		ftStmt, err = tx.PrepareContext(ctx, `INSERT INTO docs(rowid, title, body) VALUES (?, ?, ?)`)
		return err
	}
	commit := func() error {
		if tx == nil {
			return nil
		}
		metaStmt.Close()
		ftStmt.Close()
		err := tx.Commit()
		tx = nil
		return err
	}
	err := walkCorpus(ctx, corpusDir, func(d corpusDoc) error {
		if tx == nil {
			if err := begin(); err != nil {
				return err
			}
		}
		rowid := st.Docs + 1
		if _, err := metaStmt.ExecContext(ctx, rowid, d.ID, d.Title, d.Lang, d.Date); err != nil {
			return fmt.Errorf("insert %s: %w", d.ID, err)
		}
		if _, err := ftStmt.ExecContext(ctx, rowid, d.Title, d.Body); err != nil {
			return fmt.Errorf("insert %s: %w", d.ID, err)
		}
		st.Docs++
		if st.Docs%1000 == 0 {
			return commit()
		}
		return nil
	})
	if err != nil {
		if tx != nil {
			tx.Rollback()
		}
		return st, err
	}
	if err := commit(); err != nil {
		return st, err
	}
	for _, stmt := range []string{
		`CREATE INDEX IF NOT EXISTS meta_lang ON meta(lang)`,
		`INSERT INTO docs(docs) VALUES ('optimize')`,
		`PRAGMA wal_checkpoint(TRUNCATE)`,
	} {
		if _, err := e.db.ExecContext(ctx, stmt); err != nil {
			return st, fmt.Errorf("%s: %w", stmt, err)
		}
	}
	return st, nil
}

// ftsMatch turns a query into an FTS5 MATCH expression: every word and
// phrase quoted (so no word is read as an operator), all of them required.
func ftsMatch(text string) string {
	var terms []string
	for _, p := range splitQuery(text) {
		terms = append(terms, `"`+strings.ReplaceAll(p.Text, `"`, `""`)+`"`)
	}
	return strings.Join(terms, " AND ")
}

// Search runs the query ranked by bm25 with a snippet of the body, then
// counts the language and year facets in one grouped query.
//
// The page is chosen in a subquery so that snippet() runs for the returned
// rows only: with a plain ORDER BY ... LIMIT, SQLite computes every result
// column, snippet included, for every matching row before sorting (3× slower
// for a common word at 10,000 documents).
func (e *ftsEngine) Search(ctx context.Context, q searchRequest) (searchResult, error) {
	res := searchResult{Facets: map[string][]facetValue{}}
	match := ftsMatch(q.Text)
	if match == "" {
		return res, nil
	}
	// ?1 is the match, ?2 the language (empty: any), ?3 the page size.
	const where = `docs MATCH ?1 AND (?2 = '' OR m.lang = ?2)`
	rows, err := e.db.QueryContext(ctx, `SELECT m.id, m.title, m.date, m.lang, `+ftsRank+` AS score,
		snippet(docs, 1, '<mark>', '</mark>', '…', 24)
		FROM docs JOIN meta m ON m.rowid = docs.rowid
		WHERE docs MATCH ?1 AND docs.rowid IN (
			SELECT docs.rowid FROM docs JOIN meta m ON m.rowid = docs.rowid WHERE `+where+` ORDER BY `+ftsRank+` LIMIT ?3)
		ORDER BY score`, match, q.Language, q.Size)
	if err != nil {
		return res, fmt.Errorf("search %q: %w", q.Text, err)
	}
	for rows.Next() {
		var h searchHit
		var snip string
		if err := rows.Scan(&h.ID, &h.Title, &h.Date, &h.Language, &h.Score, &snip); err != nil {
			rows.Close()
			return res, err
		}
		h.Score = -h.Score // bm25() is lower-is-better
		h.Snippets = []string{snip}
		res.Hits = append(res.Hits, h)
	}
	if err := rows.Close(); err != nil {
		return res, err
	}
	if err := rows.Err(); err != nil {
		return res, err
	}
	rows, err = e.db.QueryContext(ctx, `SELECT m.lang, substr(m.date, 1, 4), count(*)
		FROM docs JOIN meta m ON m.rowid = docs.rowid WHERE `+where+` GROUP BY 1, 2`, match, q.Language)
	if err != nil {
		return res, fmt.Errorf("facets %q: %w", q.Text, err)
	}
	counts := map[string]map[string]int{"language": {}, "year": {}}
	for rows.Next() {
		var lang, year string
		var n int
		if err := rows.Scan(&lang, &year, &n); err != nil {
			rows.Close()
			return res, err
		}
		counts["language"][lang] += n
		counts["year"][year] += n
		res.Total += uint64(n)
	}
	if err := rows.Close(); err != nil {
		return res, err
	}
	for name, m := range counts {
		for v, n := range m {
			res.Facets[name] = append(res.Facets[name], facetValue{Value: v, Count: n})
		}
		sort.Slice(res.Facets[name], func(i, j int) bool { return res.Facets[name][i].Count > res.Facets[name][j].Count })
	}
	return res, nil
}

func (e *ftsEngine) Handler() (http.Handler, error) { return apiHandler(e), nil }

func (e *ftsEngine) Close() error { return e.db.Close() }
