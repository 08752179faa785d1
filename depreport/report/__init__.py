"""Reports: their schema, walks over them, queries, renderings and the HTML report."""
