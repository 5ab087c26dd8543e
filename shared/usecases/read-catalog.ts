// The product catalog: every product and its service plans, the same for every tenant.
import { type Product, products } from "../domain/catalog.js";

export function listCatalog(): readonly Product[] {
  return products;
}
