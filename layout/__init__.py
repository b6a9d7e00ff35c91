"""layout: sets a Chinese newspaper issue (YAML) into a print-ready A3 PDF.

Pipeline (one module a stage):
    model/style (YAML -> validated dataclasses)
    -> fonts (faces, coverage, metrics, subset cache)
    -> setting (pure text setting: lines of positioned glyphs)
    -> compose (pages: masthead, header, modules, columns, footer)
    -> render (ReportLab canvas, CMYK, fonts embedded) -> PDF
"""
__version__ = "0.1.0"
