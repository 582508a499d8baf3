// A product on the wire, typed by the stripe package so the compiler checks every field against
// API version 2026-10-28.endive.
import type Stripe from 'stripe';
import type { ProductRecord } from '../product';

export function renderProduct(product: ProductRecord): Stripe.Product {
  return {
    id: product.id,
    object: 'product',
    active: product.active,
    created: product.created,
    default_price: product.defaultPriceId,
    description: product.description,
    images: product.images,
    livemode: product.livemode,
    marketing_features: product.marketingFeatures,
    metadata: product.metadata,
    name: product.name,
    package_dimensions: product.packageDimensions,
    shippable: product.shippable,
    statement_descriptor: product.statementDescriptor,
    tax_code: product.taxCode,
    tax_details: null,
    type: product.type,
    unit_label: product.unitLabel,
    updated: product.updated,
    url: product.url,
  };
}

export function renderDeletedProduct(id: string): Stripe.DeletedProduct {
  return { id, object: 'product', deleted: true };
}
