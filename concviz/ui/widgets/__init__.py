"""Thin Textual widgets: each holds state and renders a Rich renderable from ui.renderables."""
