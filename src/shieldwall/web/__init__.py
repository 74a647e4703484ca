"""Server-rendered pages for defenders and for individuals."""
