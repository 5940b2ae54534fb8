/** The window's screens. Hash history: the page is a file in Electron and a served file in the browser. */
import { createRouter, createWebHashHistory } from 'vue-router';

export const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: '/', redirect: '/devices' },
    { path: '/devices', name: 'devices', component: () => import('./views/InventoryView.vue') },
    { path: '/library', name: 'library', component: () => import('./views/LibraryView.vue') },
    { path: '/models', name: 'models', component: () => import('./views/ModelsView.vue') },
    { path: '/energy', name: 'energy', component: () => import('./views/EnergyView.vue') },
    { path: '/training', name: 'training', component: () => import('./views/TrainingView.vue') },
    { path: '/compression', name: 'compression', component: () => import('./views/CompressionView.vue') },
    { path: '/placement', name: 'placement', component: () => import('./views/PlacementView.vue') },
    { path: '/plan', name: 'plan', component: () => import('./views/PlanView.vue') },
  ],
});
