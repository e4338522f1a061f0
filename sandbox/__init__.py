"""The network sandbox: a local stand-in for the Graph API and Zalo OA (see
README.md in this folder). A development tool; never used in production."""
