"""Docks, dialogs and map tools; thin layers over landeval_plugin.core."""
