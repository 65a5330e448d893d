"""What each page shows, computed: tables, headline numbers, explanations (pure, no Streamlit)."""
