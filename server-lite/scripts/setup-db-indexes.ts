// Creates the MongoDB indexes server-lite relies on (`make setup-db-indexes`). Idempotent.
import { MongoClient } from 'mongodb';
import { ensureMongoIndexes } from '../src/stores/mongo/mongo-docs';

const url = process.env.MONGODB_URL;
if (!url) {
  console.error('setup-db-indexes: set MONGODB_URL (e.g. mongodb://localhost:27017/?replicaSet=rs0)');
  process.exit(2);
}
const client = new MongoClient(url, { serverSelectionTimeoutMS: 5000 });
try {
  await client.connect();
  const db = client.db(process.env.MONGODB_DB ?? 'samplemind');
  await ensureMongoIndexes(db);
  for (const name of ['users', 'sessions', 'samples', 'collections', 'syncClients']) {
    const idx = await db.collection(name).indexes();
    console.log(`${name}: ${idx.map((i) => i.name).join(', ')}`);
  }
} finally {
  await client.close();
}
