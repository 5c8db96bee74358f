"""docmine: mine Dutch council documents and Woo releases. The API is docmine.service.Docmine."""
