"""The GraphQL documents the storefront's pages read (Saleor's storefront names)."""

CARD = """
fragment Card on Product {
  name slug isAvailable
  thumbnail(size: 256, format: WEBP) { url alt }
  thumbnail2x: thumbnail(size: 512, format: WEBP) { url }
  pricing { priceRange { start { gross { amount currency } } } }
  pavilion { county }
  regionalBrand { name }
}
"""

PAVILIONS = """
query Pavilions {
  pavilions(first: 20) { edges { node { name slug county province slogan regionalBrandName
    banner { url alt } } } }
  categories(first: 20, level: 0) { edges { node { name slug } } }
}
"""

PAVILION = CARD + """
query Pavilion($id: ID!) {
  pavilion(id: $id) {
    id name slug county province city regionalBrandName slogan story
    banner { url alt }
    featuredCollections { name slug
      products(first: 4, filter: {pavilions: [$id]}) { edges { node { ...Card } } } }
    products(first: 12) { edges { node { ...Card } } }
  }
}
"""

PRODUCTS = CARD + """
query Products($filter: ProductFilterInput, $search: String, $sortBy: ProductOrder,
               $after: String, $first: Int!) {
  products(first: $first, after: $after, filter: $filter, search: $search, sortBy: $sortBy) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { ...Card } }
  }
}
"""

# Apart from the products: the counts depend on the filter and the search only (not on the
# sort or the page), and are kept per catalogue version (``storefront.cache.facets``).
FACETS = """
query Facets($filter: ProductFilterInput, $search: String) {
  productFacets(filter: $filter, search: $search) {
    pavilions { pavilion { id name county } count }
    grades { name slug count }
    categories { category { id name slug } count }
  }
}
"""

# Where a search with nothing to show sends the shopper on.
TOP_CATEGORIES = """
query TopCategories {
  categories(first: 20, level: 0) { edges { node { name slug } } }
}
"""

CATEGORY = """
query Category($slug: String!) {
  category(slug: $slug) { id name slug level parent { name slug }
    children(first: 20) { edges { node { name slug } } } }
}
"""

SUGGEST = """
query Suggest($query: String!) {
  searchSuggestions(query: $query, first: 8) { text product { slug } }
}
"""

PRODUCT = """
query Product($slug: String!) {
  product(slug: $slug) {
    id name slug descriptionPlaintext isAvailable isAvailableForPurchase
    category { name slug }
    pavilion { name slug county regionalBrandName }
    organization { name }
    attributes { attribute { name slug } values { name slug } }
    media {
      alt
      small: url(size: 512, format: WEBP)
      large: url(size: 1024, format: WEBP)
      fallback: url(size: 512, format: JPEG)
    }
    variants {
      id name sku quantityAvailable quantityLimitPerCustomer
      attributes { attribute { slug name } values { name } }
      pricing { price { gross { amount currency } } }
    }
    regionalBrand { name county licenceNumber licenceValidUntil verificationUrl logo { url } }
  }
}
"""
