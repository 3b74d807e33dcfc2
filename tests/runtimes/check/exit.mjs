// A program that makes one request with the default timeout (30 s) and then has nothing left to do: it must exit at
// once, not when the client's deadline timer would fire (check.mjs times it under each runtime).
import { createWooClient } from '@wooapi/client';
import { ID, KEY, SECRET } from './fixtures.mjs';

const woo = createWooClient({ url: process.argv[2], consumerKey: KEY, consumerSecret: SECRET });
const { data } = await woo.GET('/products/{id}', { params: { path: { id: ID.ok } } });
console.log(JSON.stringify(data));
