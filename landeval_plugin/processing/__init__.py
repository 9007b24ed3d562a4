"""Processing provider ``landeval``: one thin algorithm per file in ``algorithms/``."""
