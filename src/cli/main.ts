console.log('deckhand', process.version);
