export const agentAccountKeys = { all: ['admin-agents'] as const };
