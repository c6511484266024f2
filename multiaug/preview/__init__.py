"""Pictures of augmentations: PNG grids and self-contained HTML pages.

Example:
    >>> from multiaug.preview import render
"""

from multiaug.preview.render import make_versions, render, render_html, render_png

__all__ = ["make_versions", "render", "render_html", "render_png"]
