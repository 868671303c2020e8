"""What to export: the image formats, their sizes and the charts a view has.

:class:`ImageOptions` is checked when it is made (a bad width or format is a
``ValueError`` naming the field), so every exporter can trust it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from exchanges.export.layout import SLIDE_HEIGHT, SLIDE_WIDTH

ImageFormat = Literal["png", "svg", "pdf"]
IMAGE_FORMATS: tuple[ImageFormat, ...] = ("png", "svg", "pdf")
MIME_TYPES: Mapping[str, str] = {
    "png": "image/png",
    "svg": "image/svg+xml",
    "pdf": "application/pdf",
}

ChartKind = Literal["map", "timeline"]
CHART_CHOICES: Mapping[str, tuple[ChartKind, ...]] = {
    "map": ("map",),
    "timeline": ("timeline",),
    "both": ("map", "timeline"),
}

MIN_EXPORT_WIDTH, MAX_EXPORT_WIDTH = 320, 7680
MIN_EXPORT_HEIGHT, MAX_EXPORT_HEIGHT = 240, 4320
MIN_SCALE, MAX_SCALE = 0.25, 4.0


@dataclass(frozen=True)
class ImageOptions:
    """Size and format of an exported image.

    ``width``/``height`` are layout pixels (what fonts and margins are laid out
    for); the image has ``width * scale`` by ``height * scale`` pixels for raster
    formats. The default is a 1920x1080 slide.
    """

    format: ImageFormat = "png"
    width: int = SLIDE_WIDTH
    height: int = SLIDE_HEIGHT
    scale: float = 1.0

    def __post_init__(self) -> None:
        if self.format not in IMAGE_FORMATS:
            raise ValueError(
                f"format: {self.format!r} is not one of {', '.join(IMAGE_FORMATS)}"
            )
        if not MIN_EXPORT_WIDTH <= int(self.width) <= MAX_EXPORT_WIDTH:
            raise ValueError(
                f"width: {self.width} is outside {MIN_EXPORT_WIDTH}-{MAX_EXPORT_WIDTH} px"
            )
        if not MIN_EXPORT_HEIGHT <= int(self.height) <= MAX_EXPORT_HEIGHT:
            raise ValueError(
                f"height: {self.height} is outside {MIN_EXPORT_HEIGHT}-{MAX_EXPORT_HEIGHT} px"
            )
        if not MIN_SCALE <= float(self.scale) <= MAX_SCALE:
            raise ValueError(f"scale: {self.scale} is outside {MIN_SCALE}-{MAX_SCALE}")

    @property
    def pixel_size(self) -> tuple[int, int]:
        """Size in device pixels of a raster export."""
        return round(self.width * self.scale), round(self.height * self.scale)

    @property
    def mime_type(self) -> str:
        return MIME_TYPES[self.format]

    def to_kaleido(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "width": int(self.width),
            "height": int(self.height),
            "scale": float(self.scale),
        }


SLIDE_OPTIONS = ImageOptions()
"""A 1920x1080 PNG slide: the default of every exporter."""


def options_for_width(
    format: ImageFormat = "png", width: int = SLIDE_WIDTH, scale: float = 1.0
) -> ImageOptions:
    """Options for a 16:9 image of the given layout width."""
    return ImageOptions(format=format, width=width, height=round(width * 9 / 16), scale=scale)


def image_filename(stem: str, chart: ChartKind, options: ImageOptions) -> str:
    """'1962-04-01_1962-08-31_map.png'-style file names."""
    safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in stem).strip("_") or "export"
    return f"{safe}_{chart}.{options.format}"
