"""Layout: the model turned into slides of boxes and fitted text, in EMU. No python-pptx here."""
