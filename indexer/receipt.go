package indexer

import (
	"io/fs"
	"path"
	"slices"
	"strings"
	"time"
)

// File states recorded in receipts.
const (
	StateArchived  = "archived"  // the file's documents are in the index
	StateFailed    = "failed"    // the file could not be read; Error says why
	StateIgnored   = "ignored"   // temporary, hidden or metadata file, not a document
	StateDuplicate = "duplicate" // same content as DuplicateOf, which is archived
)

// Receipt records what the archive did with one corpus file. Receipts are
// stored in the index itself, in the same batch as the file's documents, so
// that after any stop the index knows exactly which version of each file it holds.
type Receipt struct {
	File      string    `json:"file"`  // slash-separated path relative to the corpus root
	State     string    `json:"state"` // StateArchived, StateFailed, StateIgnored or StateDuplicate
	Error     string    `json:"error,omitempty"`
	Checksum  string    `json:"checksum"`                    // SHA-256 of the content last read (with its sidecar)
	Archived  string    `json:"archived_checksum,omitempty"` // checksum of the version whose documents are indexed
	Size      int64     `json:"size"`
	ModTime   time.Time `json:"mod_time"`
	Documents []string  `json:"documents,omitempty"` // ids of the documents in the index from this file
	// Stored is how many bytes the documents take in the document store.
	Stored      int64  `json:"stored_bytes,omitempty"`
	DuplicateOf string `json:"duplicate_of,omitempty"`
	// ConflictsWith is the file that has a document id this failed file
	// also claims; the file is read again when that one changes or goes.
	ConflictsWith string    `json:"conflicts_with,omitempty"`
	Updated       time.Time `json:"updated"`
}

// temporarySuffixes are endings of files that editors and transfer programs
// write while a file is not finished yet.
var temporarySuffixes = []string{".part", ".filepart", ".partial", ".crdownload", ".download", ".opdownload", ".!ut",
	".tmp", ".temp", ".swp", ".swx", ".swo", ".bak", "~", ".lock", ".kate-swp", ".crswap"}

// Ignored reports whether the corpus file name (slash-separated) is not a
// document: hidden files, editor and transfer temporaries, system files. The
// reason says which.
func Ignored(name string) (reason string, ignored bool) {
	if hidden(name) {
		return "hidden file", true
	}
	base := strings.ToLower(path.Base(name))
	switch base {
	case "desktop.ini", "thumbs.db", ".ds_store", "icon\r":
		return "system file", true
	}
	// A browser's download in progress can be a folder (Safari: report.pdf.download/).
	for dir := path.Dir(name); dir != "." && dir != "/"; dir = path.Dir(dir) {
		if strings.HasSuffix(strings.ToLower(dir), ".download") {
			return "temporary file", true
		}
	}
	if strings.HasPrefix(base, "~$") || strings.HasPrefix(base, "#") {
		return "temporary file", true
	}
	for _, s := range temporarySuffixes {
		if strings.HasSuffix(base, s) {
			return "temporary file", true
		}
	}
	return "", false
}

// savedPageSuffixes end the folder a browser saves a web page's images,
// styles and scripts in, beside the page ("Report.html" and
// "Report_files/"), in the languages browsers name it in.
var savedPageSuffixes = []string{"_files", "_file", "-Dateien", "_archivos", "_fichiers", "_arquivos", "_bestanden"}

// savedPageFile reports whether name is in the folder of a web page saved
// with its files ("Save page, complete"), which stands beside it in fsys:
// the page is the document, its images, styles and scripts are not.
func savedPageFile(fsys fs.FS, name string) (reason string, ok bool) {
	for dir := path.Dir(name); dir != "." && dir != "/"; dir = path.Dir(dir) {
		base := path.Base(dir)
		for _, suf := range savedPageSuffixes {
			stem, found := strings.CutSuffix(base, suf)
			if !found || stem == "" {
				continue
			}
			for _, ext := range []string{".html", ".htm", ".HTML", ".HTM", ".xhtml", ".shtml"} {
				page := path.Join(path.Dir(dir), stem+ext)
				if info, err := fs.Stat(fsys, page); err == nil && info.Mode().IsRegular() {
					return "part of the saved web page " + page, true
				}
			}
		}
	}
	return "", false
}

// sidecarFormats are the formats whose metadata comes in a YAML file beside
// them; text, Markdown and HTML carry theirs inside (front matter, the page).
var sidecarFormats = []string{".pdf", ".docx"}

// sidecarExts are the endings of a sidecar's name, in lower and upper case
// (scanners and Windows tools write SCAN.PDF and SCAN.YAML).
var sidecarExts = []string{".yaml", ".yml", ".YAML", ".YML"}

// MetadataFiles returns the names the YAML metadata file (sidecar) of the
// corpus file name may have: none for formats that carry their own.
func MetadataFiles(name string) []string {
	if !slices.Contains(sidecarFormats, strings.ToLower(path.Ext(name))) {
		return nil
	}
	stem := strings.TrimSuffix(name, path.Ext(name))
	var out []string
	for _, base := range []string{name, stem} {
		for _, ext := range sidecarExts {
			out = append(out, base+ext)
		}
	}
	return out
}

// describedNames returns the names of the documents a YAML metadata file may
// describe: the inverse of MetadataFiles.
func describedNames(sidecar string) []string {
	stem := strings.TrimSuffix(sidecar, path.Ext(sidecar))
	var out []string
	if slices.Contains(sidecarFormats, strings.ToLower(path.Ext(stem))) {
		out = append(out, stem) // report.pdf.yaml
	}
	for _, ext := range sidecarFormats {
		out = append(out, stem+ext, stem+strings.ToUpper(ext)) // report.yaml
	}
	return out
}

// isMetadataFile reports whether name is a YAML file, which is read only as a sidecar.
func isMetadataFile(name string) bool {
	ext := strings.ToLower(path.Ext(name))
	return ext == ".yaml" || ext == ".yml"
}
