"""The adoption picture as one self-contained HTML file: `depreport report --store URI --out adoption.html`.

`content.gather` reads the store and computes every number with the dashboard's own functions;
`page.render` lays them out as a page with everything inlined (no server, no network).
"""

from depreport.report.htmlreport.content import Content, Options, build, gather
from depreport.report.htmlreport.page import render

__all__ = ["Content", "Options", "build", "gather", "render"]
