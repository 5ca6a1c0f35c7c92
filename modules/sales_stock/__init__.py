"""The bridge between sales and inventory: a sales order's goods reserved when it is approved."""
