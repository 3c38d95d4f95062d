package site

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// pageNames are the page templates; each is parsed with layout.html and
// partials.html into its own set.
var pageNames = []string{"home", "search", "document", "commitments", "about", "error"}

// templateFuncs are the helpers every template may call. None depends on the
// request: request-specific text comes through the page data (base.UI).
func templateFuncs() template.FuncMap {
	return template.FuncMap{
		"docURL": documentURL,
		"add":    func(a, b int) int { return a + b },
		"join":   strings.Join,
		"dict":   dict,
		// webURL reports whether a document's own URL is a web address
		// worth linking (front matter could say anything).
		"webURL": func(u string) bool {
			l := strings.ToLower(u)
			return strings.HasPrefix(l, "https://") || strings.HasPrefix(l, "http://")
		},
		// langAttrs is the lang attribute of text in a document language,
		// and dir="rtl" for one written right to left.
		"langAttrs": func(lang string) template.HTMLAttr {
			a := `lang="` + template.HTMLEscapeString(lang) + `"`
			switch lang {
			case "ar", "fa", "he", "ur", "ckb", "yi":
				a += ` dir="rtl"`
			}
			return template.HTMLAttr(a)
		},
		// snippet marks a search snippet as HTML. Only for indexer.Hit
		// snippets: the indexer escapes the text and adds only <mark>.
		"snippet": func(s string) template.HTML { return template.HTML(s) },
	}
}

// parseTemplates parses one template set per page from fsys (the embedded
// files, or the site folder in Dev mode).
func parseTemplates(fsys fs.FS) (map[string]*template.Template, error) {
	sets := map[string]*template.Template{}
	for _, name := range pageNames {
		t, err := template.New(name).Funcs(templateFuncs()).ParseFS(fsys,
			"templates/layout.html", "templates/partials.html", "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("parse template %s: %w", name, err)
		}
		sets[name] = t
	}
	return sets, nil
}

// newMarkdown returns the one Markdown renderer of the site. It keeps
// goldmark's safe defaults: raw HTML in a document is dropped (no
// html.WithUnsafe), and dangerous link targets such as javascript: are not
// rendered as links' hrefs.
func newMarkdown() goldmark.Markdown {
	return goldmark.New(
		goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.Linkify),
		goldmark.WithParserOptions(parser.WithASTTransformers(
			util.Prioritized(headingShift{}, 100), util.Prioritized(dropDangerousLinks{}, 100))),
	)
}

// headingShift moves a document's headings down so that the highest sits
// under the page's h1 (the title) and h2 ("Text") as an h3, and no heading
// skips a level after the one before it: a clean outline for screen readers.
type headingShift struct{}

func (headingShift) Transform(doc *ast.Document, _ text.Reader, _ parser.Context) {
	var hs []*ast.Heading
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if h, ok := n.(*ast.Heading); ok && entering {
			hs = append(hs, h)
		}
		return ast.WalkContinue, nil
	})
	top := 6
	for _, h := range hs {
		top = min(top, h.Level)
	}
	prev := 2
	for _, h := range hs {
		h.Level = min(h.Level-top+3, prev+1, 6)
		prev = h.Level
	}
}

// dropDangerousLinks turns links to javascript:, vbscript:, file: and data:
// URLs into their plain text. goldmark already leaves out such an href;
// this also leaves out the empty link, which would point at the page itself.
type dropDangerousLinks struct{}

func (dropDangerousLinks) Transform(doc *ast.Document, reader text.Reader, _ parser.Context) {
	var bad []ast.Node
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch l := n.(type) {
		case *ast.Link:
			if html.IsDangerousURL(util.URLEscape(l.Destination, true)) {
				bad = append(bad, n)
			}
		case *ast.Image:
			if html.IsDangerousURL(util.URLEscape(l.Destination, true)) {
				bad = append(bad, n)
			}
		case *ast.AutoLink:
			if html.IsDangerousURL(util.URLEscape(l.URL(reader.Source()), true)) {
				bad = append(bad, n)
			}
		}
		return ast.WalkContinue, nil
	})
	for _, n := range bad {
		parent := n.Parent()
		if al, ok := n.(*ast.AutoLink); ok {
			parent.ReplaceChild(parent, n, ast.NewString(al.Label(reader.Source())))
			continue
		}
		for c := n.FirstChild(); c != nil; {
			next := c.NextSibling()
			parent.InsertBefore(parent, n, c)
			c = next
		}
		parent.RemoveChild(parent, n)
	}
}

// markdownToHTML renders archived Markdown. The documents are not
// first-party content, hence the safe renderer.
func (s *Server) markdownToHTML(src string) (template.HTML, error) {
	var buf bytes.Buffer
	if err := s.md.Convert([]byte(src), &buf); err != nil {
		return "", fmt.Errorf("render markdown: %w", err)
	}
	return template.HTML(buf.String()), nil
}

// render executes the page template into a buffer and sends it with status.
// If the template fails, the client gets the 500 page, never half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, data any) {
	sets := s.templates
	if s.dev {
		var err error
		if sets, err = parseTemplates(s.files); err != nil {
			s.log.ErrorContext(r.Context(), "parse templates", slog.String("error", err.Error()))
			http.Error(w, "template error", http.StatusInternalServerError)
			return
		}
	}
	var buf bytes.Buffer
	err := sets[name].ExecuteTemplate(&buf, "layout", data)
	if err != nil {
		s.log.ErrorContext(r.Context(), "render page", slog.String("page", name), slog.String("path", r.URL.Path), slog.String("error", err.Error()))
		if name == "error" {
			http.Error(w, "internal error", http.StatusInternalServerError)
			return
		}
		u := newUI("en")
		if b, ok := data.(interface{ base() *base }); ok {
			u = b.base().UI
		}
		s.render(w, r, http.StatusInternalServerError, "error", &errorPage{base: base{UI: u, Title: u.T("error.title")}, Status: http.StatusInternalServerError, Msg: u.T("error.internal")})
		return
	}
	// Security headers come from the middleware (secureHeaders). A page's
	// language follows Accept-Language and the cookie; Add keeps the gzip
	// wrapper's Vary: Accept-Encoding.
	w.Header().Add("Vary", "Accept-Language, Cookie")
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		w.Write(buf.Bytes())
	}
}

// static serves the files under static/. They change only with the binary,
// so browsers may keep them for a day.
func (s *Server) static() http.Handler {
	sub, err := fs.Sub(s.files, "static")
	if err != nil {
		// fs.Sub fails only for an invalid path name, and "static" is valid.
		panic(err)
	}
	fsrv := http.StripPrefix("/static/", http.FileServer(http.FS(sub)))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/") {
			s.errorPage(w, r, &httpError{Status: http.StatusNotFound, Msg: "not found"})
			return
		}
		if !s.dev {
			w.Header().Set("Cache-Control", "public, max-age=86400")
		}
		w.Header().Set("X-Content-Type-Options", "nosniff")
		fsrv.ServeHTTP(w, r)
	})
}

// dict builds a map from key, value pairs, to pass several values to a
// partial template.
func dict(kv ...any) (map[string]any, error) {
	if len(kv)%2 != 0 {
		return nil, fmt.Errorf("dict: odd number of arguments")
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		k, ok := kv[i].(string)
		if !ok {
			return nil, fmt.Errorf("dict: key %v is not a string", kv[i])
		}
		m[k] = kv[i+1]
	}
	return m, nil
}
