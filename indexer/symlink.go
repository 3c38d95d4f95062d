package indexer

import (
	"errors"
	"io/fs"
)

// errSymlink is the reason a corpus file reached through a symbolic link is
// not read: a link can point anywhere on the machine, outside the corpus.
var errSymlink = errors.New("symbolic link, not followed (copy the file into the corpus instead)")

// throughSymlink reports whether name, or a folder on its way, is a
// symbolic link in fsys. fs.WalkDir does not follow links, but os.DirFS
// opens through them, and a watcher may name a path below a linked folder.
func throughSymlink(fsys fs.FS, name string) bool {
	if _, ok := fsys.(fs.ReadLinkFS); !ok {
		return false
	}
	for i := range len(name) + 1 {
		if i < len(name) && name[i] != '/' || i == 0 {
			continue
		}
		if info, err := fs.Lstat(fsys, name[:i]); err == nil && info.Mode()&fs.ModeSymlink != 0 {
			return true
		}
	}
	return false
}
