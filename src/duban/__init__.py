"""duban (督办): read an education bureau's annual work plan and run the year around it."""

__version__ = "0.1.0"
