"""Export: PDF and PNG through LibreOffice, and Markdown persona files."""
