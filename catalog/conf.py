"""The catalogue's own settings and periodic tasks; installed by CatalogConfig.ready."""

from shop.conf import env_int, env_str


def defaults() -> dict:
    return {
        # Thumbnail sizes (px, longest side) and formats served for product media.
        "THUMBNAIL_SIZES": [64, 128, 256, 512, 1024],
        "THUMBNAIL_FORMATS": ["WEBP", "JPEG"],
        # Accepted too, but made on first request only.
        "THUMBNAIL_ON_DEMAND_FORMATS": ["AVIF"],
        # Uploaded images: limits checked before anything is stored.
        "IMAGE_MAX_UPLOAD_BYTES": env_int("IMAGE_MAX_UPLOAD_BYTES", 8 * 1024 * 1024),
        "IMAGE_MIN_DIMENSION": 200,
        "IMAGE_MAX_DIMENSION": 6000,
        # Pixel budget (width x height) read from the header before any pixel is decoded:
        # 25 million is a 6000x4000 photo; a larger picture costs seconds and hundreds of MB
        # to decode. Pillow's own bomb limit is set to it for the whole project.
        "IMAGE_MAX_PIXELS": env_int("IMAGE_MAX_PIXELS", 25_000_000),
        # Elasticsearch (when ELASTICSEARCH_URL is set): the analyzer for Chinese text is
        # the built-in "cjk" (bigrams) or "smartcn" when the analysis-smartcn plugin is
        # installed; the index is reached through this alias.
        "ELASTICSEARCH_ANALYZER": env_str("ELASTICSEARCH_ANALYZER", "cjk"),
        "ELASTICSEARCH_INDEX": env_str("ELASTICSEARCH_INDEX", "pavilion-products"),
        # Changes to products within this many seconds are indexed by one task run.
        "SEARCH_INDEX_DEBOUNCE_SECONDS": env_int("SEARCH_INDEX_DEBOUNCE_SECONDS", 2),
    }


BEAT_SCHEDULE = {
    # Safety net: index whatever is still marked dirty (a lost task, a change made by SQL).
    "catalog-update-search-index": {"task": "catalog.tasks.update_search_index",
                                    "schedule": 60.0},
}
