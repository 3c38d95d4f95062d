package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2"
)

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, data := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func runCmd(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, &out, &errOut)
	return out.String(), err
}

func TestIndexCheckSearchStatus(t *testing.T) {
	corpus, index := t.TempDir(), filepath.Join(t.TempDir(), "index")
	writeFiles(t, corpus, map[string]string{
		"a.md":        "---\ntitle: Cohesion policy and regions\nlanguage: en\n---\nThe regions ask for simpler cohesion funds.\n",
		"sub/b.md":    "---\ntitle: Politica di coesione\nlanguage: it\n---\nLe regioni chiedono fondi di coesione più semplici.\n",
		"broken.md":   "---\ntitle: [oops\n---\ntext\n",
		"picture.gif": "GIF89a",
	})

	out, err := runCmd(t, "check", "--corpus", corpus)
	var ee exitError
	if !errors.As(err, &ee) || ee != 1 {
		t.Fatalf("check: err = %v, want exit status 1", err)
	}
	for _, want := range []string{"in " + corpus + ":\n", "\nbroken.md: front matter", "\npicture.gif: unsupported", "2 of 4 files cannot be archived"} {
		if !strings.Contains(out, want) {
			t.Errorf("check output lacks %q:\n%s", want, out)
		}
	}

	out, err = runCmd(t, "index", "--corpus", corpus, "--index", index)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out, "added 2, updated 0, removed 0, failed 2, unchanged 0") {
		t.Errorf("index output = %q", out)
	}
	out, err = runCmd(t, "index", "--corpus", corpus, "--index", index)
	if err != nil || !strings.HasPrefix(out, "added 0, updated 0, removed 0, failed 0, unchanged 4 (0 documents") {
		t.Errorf("second index = %q, %v; want no work", out, err)
	}
	// The files that cannot be archived are listed again, although not read again.
	for _, want := range []string{"\nbroken.md: front matter", "\npicture.gif: unsupported"} {
		if !strings.Contains(out, want) {
			t.Errorf("second index output lacks %q:\n%s", want, out)
		}
	}

	out, err = runCmd(t, "search", "--index", index, "--json", "coesione")
	if err != nil {
		t.Fatal(err)
	}
	var res struct {
		Total int
		Hits  []struct{ ID, Title string }
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("search --json: %v\n%s", err, out)
	}
	if res.Total != 1 || res.Hits[0].ID != "sub.b" {
		t.Errorf("search coesione = %+v, want sub.b", res)
	}
	// Flags may follow the words; a word with a dash is left out, after
	// "--" too; an unknown flag with two dashes is an error.
	for _, tc := range []struct {
		args []string
		want int
	}{
		{[]string{"search", "cohesion", "--json", "--index", index}, 1},
		{[]string{"search", "cohesion", "--index=" + index, "-json"}, 1},
		{[]string{"search", "--index", index, "--json", "cohesion", "-regions"}, 0},
		{[]string{"search", "--index", index, "--json", "--", "cohesion", "-funds"}, 0},
	} {
		out, err := runCmd(t, tc.args...)
		res.Total = -1
		if err != nil || json.Unmarshal([]byte(out), &res) != nil || res.Total != tc.want {
			t.Errorf("%q: %v, %d hits; want JSON with %d", tc.args, err, res.Total, tc.want)
		}
	}
	if _, err := runCmd(t, "search", "--index", index, "cohesion", "--jsn"); err == nil || !strings.Contains(err.Error(), "jsn") {
		t.Errorf("search with --jsn: %v; want the unknown flag named", err)
	}
	// -h is the usage, not a word; a flag wanting a value at the end is a
	// word with one dash, an error with two.
	if _, err := runCmd(t, "search", "-h"); !errors.Is(err, flag.ErrHelp) {
		t.Errorf("search -h: %v; want the usage", err)
	}
	if out, err := runCmd(t, "search", "--index", index, "--json", "cohesion", "-index"); err != nil || json.Unmarshal([]byte(out), &res) != nil || res.Total != 1 {
		t.Errorf("search cohesion -index: %v, %d hits; want the one document, which has no word index", err, res.Total)
	}
	if _, err := runCmd(t, "search", "cohesion", "--index"); err == nil || !strings.Contains(err.Error(), "needs an argument") {
		t.Errorf("search cohesion --index: %v; want the flag's value asked for", err)
	}

	out, err = runCmd(t, "status", "--index", index)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "4 files: archived 2, failed 2") || !strings.Contains(out, "broken.md") {
		t.Errorf("status output:\n%s", out)
	}

	// --json: check and index list every file that cannot be archived.
	type problems struct {
		Files     int
		Unchanged int
		Problems  []struct{ File, Error string }
	}
	for _, args := range [][]string{{"check", "--json", "--corpus", corpus}, {"index", "--json", "--corpus", corpus, "--index", index}} {
		out, err = runCmd(t, args...)
		if args[0] == "check" && !errors.As(err, &ee) {
			t.Errorf("%s: err = %v, want exit status 1", args, err)
		}
		var got problems
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatalf("%s: %v\n%s", args, err, out)
		}
		if len(got.Problems) != 2 || got.Problems[0].File != "broken.md" || !strings.Contains(got.Problems[1].Error, "unsupported") {
			t.Errorf("%s: problems %+v, want broken.md and picture.gif", args, got.Problems)
		}
		if args[0] == "check" && got.Files != 4 || args[0] == "index" && got.Unchanged != 4 {
			t.Errorf("%s: %+v, want 4 files", args, got)
		}
	}

	// A flag a command does not use is refused, and an index that is not there is not created.
	if _, err := runCmd(t, "check", "--index", index, "--corpus", corpus); err == nil || !strings.Contains(err.Error(), "-index") {
		t.Errorf("check --index: err = %v, want the flag refused", err)
	}
	missing := filepath.Join(t.TempDir(), "typo")
	for _, cmd := range []string{"search", "status"} {
		if _, err := runCmd(t, cmd, "--index", missing, "x"); err == nil || !strings.Contains(err.Error(), "no index in") {
			t.Errorf("%s on a missing index: err = %v", cmd, err)
		}
	}
	if _, err := os.Stat(missing); err == nil {
		t.Errorf("search or status created %s", missing)
	}
	// A file broken after it was archived is listed with its last good
	// version kept, as status lists it.
	writeFiles(t, corpus, map[string]string{"sub/b.md": "---\ntitle: [oops\n---\ntext\n"})
	out, err = runCmd(t, "index", "--corpus", corpus, "--index", index)
	if err != nil || !regexp.MustCompile(`\nsub/b.md: front matter: .*\(its last good version stays archived\)\n`).MatchString(out) {
		t.Errorf("index after breaking sub/b.md = %q, %v; want it listed with its last good version kept", out, err)
	}
}

func TestEnvironmentConfiguresFlags(t *testing.T) {
	corpus, index := t.TempDir(), filepath.Join(t.TempDir(), "index")
	writeFiles(t, corpus, map[string]string{"a.md": "---\ntitle: Env\n---\nbody\n"})
	t.Setenv("ARCHIVIO_CORPUS", corpus)
	t.Setenv("ARCHIVIO_INDEX", index)
	out, err := runCmd(t, "index")
	if err != nil || !strings.HasPrefix(out, "added 1,") {
		t.Fatalf("index with ARCHIVIO_* = %q, %v", out, err)
	}
	t.Setenv("ARCHIVIO_LOG_LEVEL", "loud")
	if _, err := runCmd(t, "index"); err == nil || !strings.Contains(err.Error(), "log level") || !strings.Contains(err.Error(), "ARCHIVIO_LOG_LEVEL") {
		t.Errorf("bad ARCHIVIO_LOG_LEVEL: err = %v", err)
	}
	t.Setenv("ARCHIVIO_LOG_LEVEL", "info")
	t.Setenv("ARCHIVIO_MAX_FILE_SIZE", "abc")
	if _, err := runCmd(t, "index"); err == nil || !strings.Contains(err.Error(), `ARCHIVIO_MAX_FILE_SIZE="abc" is not a value for --max-file-size`) {
		t.Errorf("bad ARCHIVIO_MAX_FILE_SIZE: err = %v; want it to name the variable, its value and the flag", err)
	}
}

// TestNonsenseFlagValues: values that mean nothing are refused, naming the
// flag; an empty variable is as if unset.
func TestNonsenseFlagValues(t *testing.T) {
	corpus, index := t.TempDir(), filepath.Join(t.TempDir(), "index")
	writeFiles(t, corpus, map[string]string{"a.md": "---\ntitle: Flags\n---\nbody\n"})
	for _, args := range [][]string{
		{"serve", "--poll", "1ns"}, {"serve", "--rescan", "1ms"}, {"serve", "--watch-delay", "-5s"}, {"serve", "--watch-delay", "0"},
		{"serve", "--rate-limit", "NaN"}, {"serve", "--rate-limit", "-5"}, {"serve", "--shutdown-timeout", "-1s"},
		{"serve", "--rate-burst", "-1"}, {"serve", "--rescan", "-1s"}, {"serve", "--poll", "-1s"},
		{"index", "--max-file-size", "-1"},
	} {
		_, err := runCmd(t, append(args, "--corpus", corpus, "--index", index)...)
		if err == nil || !strings.Contains(err.Error(), args[1]+"=") {
			t.Errorf("%q: err = %v, want it refused, naming the flag", args, err)
		}
	}
	t.Setenv("ARCHIVIO_MAX_FILE_SIZE", "")
	t.Setenv("ARCHIVIO_LOG_LEVEL", "")
	if out, err := runCmd(t, "index", "--corpus", corpus, "--index", index); err != nil || !strings.HasPrefix(out, "added 1,") {
		t.Errorf("index with empty variables = %q, %v; want them as if unset", out, err)
	}
}

func TestServeRefusesBadBaseURL(t *testing.T) {
	corpus, index := t.TempDir(), filepath.Join(t.TempDir(), "index")
	writeFiles(t, corpus, map[string]string{"a.md": "---\ntitle: Base\n---\nbody\n"})
	_, err := runCmd(t, "serve", "--corpus", corpus, "--index", index, "--addr", "127.0.0.1:0", "--base-url", "archivio.example.org")
	if err == nil || !strings.Contains(err.Error(), `base URL "archivio.example.org"`) {
		t.Errorf("serve --base-url archivio.example.org: err = %v, want it refused", err)
	}
}

func TestUnknownCommand(t *testing.T) {
	if _, err := runCmd(t, "frobnicate"); err == nil || !strings.Contains(err.Error(), `unknown command "frobnicate"`) {
		t.Errorf("unknown command: error %v, want it to name the command", err)
	}
}

// TestIndexRebuildsWastefulStore edits a file between runs of `archivio
// index` until the document store is mostly replaced versions: index then
// rebuilds, and the store holds only what is archived.
func TestIndexRebuildsWastefulStore(t *testing.T) {
	corpus, index := t.TempDir(), filepath.Join(t.TempDir(), "index")
	files := map[string]string{
		"a.md": "---\ntitle: Cohesion\nlanguage: en\n---\nThe regions ask for simpler cohesion funds.\n",
		"b.md": "---\ntitle: Coesione\nlanguage: it\n---\nLe regioni chiedono fondi di coesione più semplici.\n",
	}
	writeFiles(t, corpus, files)
	var stdout string
	indexRun := func() string {
		t.Helper()
		var out, errOut bytes.Buffer
		if err := run(context.Background(), []string{"index", "--corpus", corpus, "--index", index, "--max-store-waste", "1"}, &out, &errOut); err != nil {
			t.Fatalf("index: %v\n%s", err, errOut.String())
		}
		stdout = out.String()
		return errOut.String()
	}
	storeSize := func() int64 {
		t.Helper()
		cur, err := os.ReadFile(filepath.Join(index, "CURRENT"))
		if err != nil {
			t.Fatal(err)
		}
		info, err := os.Stat(filepath.Join(index, strings.TrimSpace(string(cur)), "docs.dat"))
		if err != nil {
			t.Fatal(err)
		}
		return info.Size()
	}
	if log := indexRun(); strings.Contains(log, "rebuilding") {
		t.Fatalf("first index rebuilt:\n%s", log)
	}
	first := storeSize()
	var log string
	for i := 0; !strings.Contains(log, `msg="rebuilding the index"`); i++ {
		if i == 5 {
			t.Fatalf("no rebuild after %d edits; store %d bytes (first %d)", i, storeSize(), first)
		}
		writeFiles(t, corpus, map[string]string{"a.md": files["a.md"] + strings.Repeat("Edited.\n", i+1)})
		log = indexRun()
	}
	if !strings.Contains(log, "hold replaced or removed documents") {
		t.Errorf("rebuild log gives no reason:\n%s", log)
	}
	if !strings.Contains(stdout, "\nrebuilt the index: ") || !strings.Contains(stdout, "hold replaced or removed documents") {
		t.Errorf("index output does not say it rebuilt:\n%s", stdout)
	}
	if size := storeSize(); size > first+first/2 {
		t.Errorf("docs.dat after the rebuild: %d bytes, the first had %d for the same two files", size, first)
	}
	out, err := runCmd(t, "search", "--index", index, "--json", "edited")
	var res struct {
		Total int
		Hits  []struct{ ID string }
	}
	if err == nil {
		err = json.Unmarshal([]byte(out), &res)
	}
	if err != nil || res.Total != 1 || res.Hits[0].ID != "a" {
		t.Errorf("search for the edit after the rebuild: %+v, %v\n%s", res, err, out)
	}
}

// TestUpgradeFromOlderIndex: after an upgrade, status and search show the
// index the older version wrote, untouched, with a note; index rebuilds it
// beside itself, keeping the last good version of a file that fails now.
func TestUpgradeFromOlderIndex(t *testing.T) {
	corpus, index := t.TempDir(), filepath.Join(t.TempDir(), "index")
	writeFiles(t, corpus, map[string]string{
		"a.md":    "---\ntitle: Cohesion policy and regions\nlanguage: en\n---\nThe regions ask for simpler cohesion funds.\n",
		"kept.md": "---\ntitle: Harbour dues\nlanguage: en\n---\nThe harbour committee agreed the dues.\n",
	})
	if _, err := runCmd(t, "index", "--corpus", corpus, "--index", index); err != nil {
		t.Fatal(err)
	}
	writeFiles(t, corpus, map[string]string{"kept.md": "---\ntitle: [oops\n---\ntext\n"})
	if _, err := runCmd(t, "index", "--corpus", corpus, "--index", index); err != nil {
		t.Fatal(err)
	}
	current, err := os.ReadFile(filepath.Join(index, "CURRENT"))
	if err != nil {
		t.Fatal(err)
	}
	gen := filepath.Join(index, strings.TrimSpace(string(current)))
	bi, err := bleve.Open(gen)
	if err != nil {
		t.Fatal(err)
	}
	if err := bi.SetInternal([]byte("mapping-version"), []byte("archivio-0")); err != nil {
		t.Fatal(err)
	}
	bi.Close()

	out, err := runCmd(t, "status", "--index", index)
	if err != nil || !strings.Contains(out, "2 files: archived 1, failed 1") || !strings.Contains(out, "kept.md") ||
		!strings.Contains(out, `note: the index was written by another version of Archivio (mapping version "archivio-0"`) {
		t.Errorf("status of an older index = %v:\n%s", err, out)
	}
	if out, err := runCmd(t, "search", "--index", index, "harbour"); err != nil || !strings.HasPrefix(out, "1 results") ||
		!strings.Contains(out, "note: the index was written by another version of Archivio") {
		t.Errorf("search of an older index = %v:\n%s", err, out)
	}
	if _, err := os.Stat(gen); err != nil {
		t.Errorf("status or search removed the older generation: %v", err)
	}

	out, err = runCmd(t, "index", "--corpus", corpus, "--index", index)
	if err != nil || !strings.Contains(out, "rebuilt the index: index was written by another version of Archivio") {
		t.Errorf("index of an older index = %v:\n%s", err, out)
	}
	out, err = runCmd(t, "status", "--index", index)
	if err != nil || strings.Contains(out, "note:") || !strings.Contains(out, "kept.md  1") {
		t.Errorf("status after the rebuild = %v:\n%s", err, out)
	}
	if out, err := runCmd(t, "search", "--index", index, "harbour"); err != nil || !strings.HasPrefix(out, "1 results") || strings.Contains(out, "note:") {
		t.Errorf("the last good version of kept.md after the rebuild: %v:\n%s", err, out)
	}
}

// TestIndexJSONWithoutProblems: a script reading index --json finds
// "problems" also when every file was archived.
func TestIndexJSONWithoutProblems(t *testing.T) {
	corpus, index := t.TempDir(), filepath.Join(t.TempDir(), "index")
	writeFiles(t, corpus, map[string]string{"a.md": "---\ntitle: Cohesion\nlanguage: en\n---\nThe regions ask for simpler funds.\n"})
	out, err := runCmd(t, "index", "--json", "--corpus", corpus, "--index", index)
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]json.RawMessage
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("index --json: %v\n%s", err, out)
	}
	if string(got["problems"]) != "[]" || string(got["added"]) != "1" {
		t.Errorf("index --json = %s; want added 1 and problems []", out)
	}
}

type countOnly struct {
	n   uint64
	err error
}

func (c countOnly) Count(context.Context) (uint64, error) { return c.n, c.err }

// TestReadyAfterFailure: after a failed update serve is ready only with an
// archive to serve.
func TestReadyAfterFailure(t *testing.T) {
	for _, tc := range []struct {
		idx  countOnly
		want bool
	}{
		{countOnly{n: 0}, false},
		{countOnly{n: 651}, true},
		{countOnly{err: errors.New("closed")}, false},
	} {
		if got := readyAfterFailure(context.Background(), tc.idx); got != tc.want {
			t.Errorf("readyAfterFailure(%+v) = %v, want %v", tc.idx, got, tc.want)
		}
	}
}
