"""分类处置: disposal rule sets and the proposed disposal paths."""
