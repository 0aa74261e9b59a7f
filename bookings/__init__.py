"""Bookings: engagements settled directly between client and expert; the platform takes a fee."""
