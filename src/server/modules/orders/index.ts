// The orders module's public surface: what other modules may import (src/import-boundaries.test.ts).
export { ordersRoutes } from './orders.routes.ts';
export { authorizeOrderSubscription, findOrderForTicket, loadLiveOrder } from './orders.service.ts';
export { listCustomerOrders } from './list-customer-orders.ts';
export { seedDemoOrders } from './demo-orders.ts';
