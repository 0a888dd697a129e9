document.body.append('coming soon');
