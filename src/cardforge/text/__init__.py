"""Text measurement with real font metrics, and fitting text into boxes."""
