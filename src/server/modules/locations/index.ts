/** What other modules may use of locations (their tables stay this module's own). */
export { withLocationAnswers } from './bot-answers.ts';
export { getSupportStatus, outOfHoursReply, staffedWaitStarts } from './support-hours.service.ts';
export { seedDemoLocations } from './demo-locations.ts';
export { locationsRoutes } from './locations.routes.ts';
