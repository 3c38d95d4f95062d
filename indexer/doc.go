// Package indexer reads the corpus and owns the search index.
//
// Parse turns a corpus file (plain text, Markdown, HTML, PDF, DOCX, CSV or
// JSON) into Documents: CoR opinions, opinion factsheets, OGP commitments and
// pages. An Index keeps a bleve index in step with a corpus folder, records a
// receipt for every file, and answers searches with facets, highlighted
// snippets and the numbered paragraph a hit is in.
package indexer
