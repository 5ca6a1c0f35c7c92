"""The online-shop link (INT-03): the adapter interface, the WooCommerce adapter, a fake shop for
tests, and the sync of products, stock and orders (docs/carpet.md, "The online shop")."""
