package site

import "embed"

// embedded holds the page templates and the static assets (CSS, the copy
// button script), built into the binary.
//
//go:embed templates static
var embedded embed.FS
